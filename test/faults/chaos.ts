import { seededRandom } from './fault-mix';
import type { FaultyShop } from './ledgers';
import type { ServiceProcess } from '../support/stack/service-process';

/**
 * What goes wrong with the machinery while the orders are booked: the worker SIGKILLed at random moments (and once
 * while a posting is inside its ledger's lock), PostgreSQL and the Temporal server restarted. Each event fires when
 * the booked share of orders passes its (seeded, random) threshold, so all of them happen mid-run.
 */

export type ChaosKind =
  | 'kill-worker'
  | 'kill-worker-in-lock'
  /** SIGKILL while a refund waits for its order to be booked (it arrived first). */
  | 'kill-worker-refund-waiting'
  /** SIGKILL while postings wait in a ledger's queue or are being written. */
  | 'kill-worker-queued'
  | 'restart-postgres'
  | 'restart-temporal';

/** What the run looks like now, through the API: the statuses of every order and refund. */
export interface RunState {
  bookedShare: number;
  /** When each booked order and refund last changed (ms). */
  bookedTimes: number[];
  orderStatuses: string[];
  refundStatuses: string[];
}

/** Kills that wait for a moment of the run rather than a booked share (at most `waitMs`, then they fire anyway). */
const moments: Partial<Record<ChaosKind, (s: RunState) => boolean>> = {
  'kill-worker-refund-waiting': (s) => s.refundStatuses.includes('waiting'),
  'kill-worker-queued': (s) => [...s.orderStatuses, ...s.refundStatuses].some((x) => x === 'queued' || x === 'posting'),
};

export interface ChaosEvent {
  kind: ChaosKind;
  /** Fires once this share of the orders is booked. */
  atBookedShare: number;
  /** Filled in when it happened. */
  at?: number;
  detail?: string;
  /** kill-worker-in-lock: the document whose create the vendor held while the worker died. */
  held?: { shop: number; tag: string };
  /** Kills: from the SIGKILL to the first booking any ledger finished after the worker was back. */
  recoveredAfterMs?: number;
}

export interface ChaosTargets {
  worker: ServiceProcess;
  shops: FaultyShop[];
  restartPostgres?: () => Promise<void>;
  /** Stops the server, waits `downMs`, starts it again. */
  restartTemporal?: (downMs: number) => Promise<void>;
}

export function planChaos(seed: number, kinds: ChaosKind[], from = 0.05, to = 0.8): ChaosEvent[] {
  const random = seededRandom(seed);
  const shuffled = [...kinds];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const slot = (to - from) / shuffled.length;
  return shuffled.map((kind, i) => ({ kind, atBookedShare: Number((from + slot * (i + random())).toFixed(3)) }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When the first booking after `since` was finished, as the API's rows say (polled until one shows or the run ends). */
async function recovery(since: number, state: () => RunState, stop: () => boolean): Promise<number | undefined> {
  for (;;) {
    const after = state().bookedTimes.filter((t) => t > since);
    if (after.length > 0) return Math.min(...after);
    if (stop()) return undefined;
    await sleep(250);
  }
}

/** Runs the events in order as the run progresses; `bookedShare` is read from the settle poller. */
export async function runChaos(
  events: ChaosEvent[],
  targets: ChaosTargets,
  state: () => RunState,
  o: { seed: number; log: (line: string) => void; stop: () => boolean; minGapMs: number },
): Promise<void> {
  const bookedShare = () => state().bookedShare;
  const random = seededRandom(o.seed + 7);
  const t0 = Date.now();
  let last = 0;
  for (const e of events) {
    // Apart from each other too, so that one recovery is not hidden inside the next outage. An event still due once
    // the run has settled would not be mid-run: it is left out (and shows as not fired).
    const moment = moments[e.kind];
    if (moment) {
      const until = Date.now() + 60_000;
      while (!moment(state()) && Date.now() < until && !o.stop()) await sleep(100);
    } else {
      while ((bookedShare() < e.atBookedShare || Date.now() - last < o.minGapMs) && !o.stop()) await sleep(250);
    }
    if (o.stop()) return;
    e.at = Math.round((Date.now() - t0) / 1000);
    switch (e.kind) {
      case 'kill-worker':
      case 'kill-worker-refund-waiting':
      case 'kill-worker-queued': {
        const killedAt = Date.now();
        await targets.worker.kill();
        const downMs = Math.round(500 + random() * 2_500);
        await sleep(downMs);
        targets.worker.start();
        e.detail = `SIGKILL, down ${downMs} ms`;
        void recovery(killedAt + downMs, state, o.stop).then((at) => {
          if (at !== undefined) e.recoveredAfterMs = at - killedAt;
        });
        break;
      }
      case 'kill-worker-in-lock': {
        e.held = await killInsideLock(targets, random);
        e.detail = `held ${e.held.tag} at shop ${e.held.shop + 1}'s e-conomic, SIGKILL, then the vendor committed it`;
        break;
      }
      case 'restart-postgres': {
        const started = Date.now();
        await targets.restartPostgres!();
        e.detail = `pg_ctl restart -m fast, ${Date.now() - started} ms`;
        break;
      }
      case 'restart-temporal': {
        const started = Date.now();
        await targets.restartTemporal!(Math.round(1_000 + random() * 2_000));
        e.detail = `down ${Date.now() - started} ms`;
        break;
      }
    }
    last = Date.now();
    o.log(`  chaos: ${e.kind} at ${Math.round(bookedShare() * 100)} % booked — ${e.detail}`);
  }
}

/**
 * The vendor holds the next invoice create of one ledger: the posting is inside its ledger's lock, its request at
 * e-conomic. The worker is SIGKILLed, then the vendor commits the draft and answers into a dead socket.
 */
async function killInsideLock(targets: ChaosTargets, random: () => number): Promise<{ shop: number; tag: string }> {
  const shop = targets.shops[Math.floor(random() * targets.shops.length)]!;
  const held = shop.economic.http.hold({ method: 'POST', path: /^\/invoices\/drafts$/ });
  const req = await Promise.race([held.arrived, sleep(180_000).then(() => null)]);
  if (!req) {
    held.release();
    throw new Error(`no invoice create reached shop ${shop.index + 1}'s ledger within 3 minutes`);
  }
  await targets.worker.kill();
  const drafts = shop.economic.drafts.size + shop.economic.booked.size;
  held.release();
  // The vendor commits the held write now, with nobody left to hear the answer.
  for (let waited = 0; waited < 5_000 && shop.economic.drafts.size + shop.economic.booked.size === drafts; waited += 20) await sleep(20);
  targets.worker.start();
  return { shop: shop.index, tag: (req.body as { references?: { other?: string } }).references?.other ?? '?' };
}
