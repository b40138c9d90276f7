/**
 * Planning one large payout, alone in its process so its memory is its own: matching every line to its open invoice
 * (src/domain/payout-matching.ts) and planning the vouchers in parts (src/domain/plan-payout.ts). Prints one JSON
 * line: lines, parts, milliseconds for matching and for planning, resident memory before and at the peak.
 * BENCH_PAYOUT_LINES (default 800000); the part size is PAYOUT_MAX_VOUCHER_LINES' default.
 */
import { DEFAULT_PAYOUT_MAX_VOUCHER_LINES } from '../activities/payouts';
import { matchPayout } from '../src/domain/payout-matching';
import { planPayoutParts, type PayoutAccounts } from '../src/domain/plan-payout';
import { largePayout } from '../test/support/large-payout';

const LINES = Number(process.env.BENCH_PAYOUT_LINES ?? 800_000);
const mapping = { accounts: { bank: '5820', fee: '3630', error: '5890', rounding: '3690' } } as PayoutAccounts;
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

const { payout, documents } = largePayout(LINES);
const rssBeforeMiB = mib(process.memoryUsage().rss);
const t0 = performance.now();
const matches = matchPayout(payout, documents);
const t1 = performance.now();
const parts = planPayoutParts(payout, matches, mapping, 'DKK', DEFAULT_PAYOUT_MAX_VOUCHER_LINES);
const t2 = performance.now();
console.log(
  JSON.stringify({
    lines: LINES,
    documents: documents.length,
    parts: parts.length,
    matchMs: Math.round(t1 - t0),
    planMs: Math.round(t2 - t1),
    rssBeforeMiB,
    // maxRSS is in KiB: the process's peak, the payout and its documents included.
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
