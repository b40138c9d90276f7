import type { FaultRunReport } from './scenario';

/** The run in figures, as rows of (what, how many): printed after the run and quoted in the README. */
export function summaryRows(r: FaultRunReport): [string, string][] {
  const count = (kind: string) => r.chaos.filter((c) => c.kind === kind && c.at !== undefined).length;
  const kills = count('kill-worker') + count('kill-worker-in-lock') + count('kill-worker-refund-waiting') + count('kill-worker-queued');
  const f = r.faults;
  const findings = Object.values(r.findings).reduce((n, list) => n + list.length, 0);
  return [
    ['ledgers (e-conomic)', String(r.shops.length)],
    ['orders', String(r.plan.orders.length)],
    ['partial refunds', String(r.plan.refunds.length)],
    ['webhooks sent', String(r.plan.deliveries.length)],
    ['  delivered twice', String(r.plan.duplicates)],
    ['  update before its create', String(r.plan.updateBeforeCreate)],
    ['  refund before its order', String(r.plan.refundBeforeOrder)],
    ['  re-sent (API not ready)', String(r.send.retried)],
    ['ledger requests', String(f.requests)],
    ['  5xx answered', String(f['5xx'] ?? 0)],
    ['  429 + Retry-After', String(f['429'] ?? 0)],
    ['  response lost', `${f.lost_response ?? 0} (${f.lost_after_write ?? 0} after a committed write)`],
    ['worker SIGKILLs', `${kills} (${count('kill-worker-in-lock')} inside the ledger lock, ${count('kill-worker-refund-waiting')} while a refund waited for its order, ${count('kill-worker-queued')} while postings were queued)`],
    ['PostgreSQL restarts', String(count('restart-postgres'))],
    ['Temporal server restarts', String(count('restart-temporal'))],
    ['unplanned process exits', String(r.unexpectedExits)],
    ['settled', r.settled ? 'yes' : 'NO'],
    ['time to settle', `${r.secondsToSettle} s`],
    ['whole run', `${r.totalSeconds} s`],
    ['findings', String(findings)],
  ];
}

export function printSummary(r: FaultRunReport, log: (line: string) => void = console.log): void {
  const rows = summaryRows(r);
  const width = Math.max(...rows.map(([k]) => k.length));
  log('');
  log('fault run summary');
  for (const [k, v] of rows) log(`  ${k.padEnd(width)}  ${v}`);
  for (const e of r.chaos) log(`  chaos ${e.kind.padEnd(20)} ${e.at === undefined ? 'did not fire' : `at ${e.at} s (${Math.round(e.atBookedShare * 100)} % booked): ${e.detail}`}`);
  for (const { held } of r.chaos) {
    if (!held) continue;
    const documents = [...r.shops[held.shop]!.economic.booked.values()].filter((d) => (d.references as { other?: string } | undefined)?.other === held.tag);
    log(`  the document held in the lock, ${held.tag}: ${documents.length} booked at e-conomic (${documents.map((d) => `invoice ${d.bookedInvoiceNumber}`).join(', ') || 'none'})`);
  }
  for (const [name, list] of Object.entries(r.findings)) for (const line of list.slice(0, 20)) log(`  ${name}: ${line}`);
  for (const line of r.postMortem) log(`  stuck: ${line}`);
}
