import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { channelConnections } from '../../db/schema';
import { workflowIds } from '../../workflows/definitions';
import { DandomainOrderService } from '../adapters/channels/dandomain';
import { storeFetch } from '../adapters/channels/public-address';
import type { CredentialBox } from '../crypto/credentials';
import { sealedContext } from '../crypto/sealed-contexts';
import { apiCredentialsContext } from './channel-connection';

/** How often a Dandomain shop is polled: Dandomain sends no webhooks. */
export const dandomainPollEveryMinutes = 5;

/**
 * Saves a Dandomain shop's order-service key (sealed, bound to the shop) and starts polling it: one Temporal Schedule
 * per shop, run once at once. Saving again replaces the key; the schedule and its cursor stay.
 */
export async function connectDandomain(
  deps: { db: Db; temporal: Client; taskQueue: string; credentials: CredentialBox },
  shopId: string,
  input: { storeUrl: string; apiKey: string },
): Promise<{ scheduleId: string; everyMinutes: number }> {
  const values = {
    shopId,
    platform: 'dandomain',
    // Dandomain signs nothing (it has no webhooks); the column is required, so it holds a sealed nothing.
    secret: deps.credentials.seal('', sealedContext.channelSecret(shopId)),
    storeUrl: input.storeUrl.replace(/\/+$/, ''),
    apiCredentials: deps.credentials.sealJson({ apiKey: input.apiKey }, apiCredentialsContext(shopId)),
  };
  await deps.db.insert(channelConnections).values(values).onConflictDoUpdate({ target: channelConnections.shopId, set: values });
  const scheduleId = workflowIds.pollDandomain(shopId);
  try {
    await deps.temporal.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: `${dandomainPollEveryMinutes} minutes` }] },
      // The first poll reads orders changed since a day before the shop connected; later ones continue from its cursor.
      action: { type: 'startWorkflow', workflowType: 'pollDandomainWorkflow', args: [{ shopId, since: new Date(Date.now() - 86_400_000).toISOString() }], taskQueue: deps.taskQueue },
      state: { triggerImmediately: true },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await deps.temporal.schedule.getHandle(scheduleId).trigger();
  }
  return { scheduleId, everyMinutes: dandomainPollEveryMinutes };
}

/** The shop's order service, its key opened here in the process that calls Dandomain; null without a connection. */
export async function openDandomain(
  db: Db,
  credentials: CredentialBox | undefined,
  shopId: string,
  /** TEST_ENDPOINTS: stores on this machine are reached (src/adapters/channels/public-address.ts storeFetch). */
  testEndpoints?: boolean,
): Promise<DandomainOrderService | null> {
  const [row] = await db
    .select()
    .from(channelConnections)
    .where(and(eq(channelConnections.shopId, shopId), eq(channelConnections.platform, 'dandomain')));
  if (!row?.storeUrl || !row.apiCredentials || !credentials) return null;
  const { apiKey } = credentials.openJson<{ apiKey: string }>(row.apiCredentials, apiCredentialsContext(shopId));
  return new DandomainOrderService({ storeUrl: row.storeUrl, apiKey, fetch: storeFetch(testEndpoints) });
}
