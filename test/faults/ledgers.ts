import { ECONOMIC_TOKENS, economicProducts, startFakeEconomic, type FakeEconomic } from '../support/fake-ledgers/economic';
import { danishMapping } from '../support/fixtures';
import { faultMix, type FaultMix } from './fault-mix';
import { call } from './http-api';

/** One shop of the run: its keys, and the e-conomic agreement (a faulty fake) its ledger is connected to. */
export interface FaultyShop {
  index: number;
  shopId: string;
  ledgerId: string;
  apiKey: string;
  economic: FakeEconomic;
  faults: FaultMix;
}

/**
 * Creates `count` shops through the admin API and connects each to its own e-conomic-shaped server through the
 * ledger connection API (the real adapter does every call). The fault mix is switched on afterwards.
 */
export async function connectFaultyShops(api: string, adminKey: string, count: number, seed: number): Promise<FaultyShop[]> {
  const shops: FaultyShop[] = [];
  for (let i = 0; i < count; i++) {
    const faults = faultMix(seed * 1_000 + i);
    const economic = await startFakeEconomic({ faults: (req) => faults.pick(req) });
    const created = await call(`${api}/v1/admin/shops`, adminKey, 'POST', { name: `Fault shop ${i + 1}`, ledger: { mode: 'auto' }, mapping: danishMapping });
    if (created.status !== 201) throw new Error(`creating a shop answered ${created.status}: ${JSON.stringify(created.body)}`);
    const { shopId, ledgerId, apiKey } = created.body as { shopId: string; ledgerId: string; apiKey: string };
    const connected = await call(`${api}/v1/ledger/connection`, apiKey, 'PUT', {
      system: 'e-conomic',
      credentials: ECONOMIC_TOKENS,
      settings: { journalNumber: 1, layoutNumber: 19, paymentTermsNumber: 1, customerGroupNumber: 1, customerMode: 'per_customer', products: economicProducts, baseUrl: economic.url },
    });
    const setup = (connected.body as { setup?: Record<string, unknown[]> } | null)?.setup;
    if (connected.status !== 200 || !setup || Object.values(setup).some((missing) => missing.length > 0)) {
      throw new Error(`connecting e-conomic answered ${connected.status}: ${JSON.stringify(connected.body)}`);
    }
    shops.push({ index: i, shopId, ledgerId, apiKey, economic, faults });
  }
  return shops;
}

export function enableFaults(shops: FaultyShop[], on = true): void {
  for (const s of shops) s.faults.enabled = on;
}

/** Faults the vendors answered, summed over all shops, by kind. */
export function faultTotals(shops: FaultyShop[]): Record<string, number> {
  const totals: Record<string, number> = { '5xx': 0, '429': 0, lost_response: 0, lost_after_write: 0, requests: 0 };
  for (const s of shops) {
    for (const [k, n] of Object.entries(s.economic.http.faultsInjected)) totals[k] = (totals[k] ?? 0) + n;
    totals.lost_after_write! += s.faults.lostWrites;
    totals.requests! += s.economic.http.requests.length;
  }
  return totals;
}
