/**
 * One shop's bulk work does not take the worker slots another shop's orders run in (issue 17, point 7): settlement
 * files being read and payouts being booked run on bulk work's own task queue, with slots of their own (src/worker.ts).
 * Fairness and priority only order what waits in Temporal's queue; a file being read holds its slot for minutes, so a
 * shop that uploads as many files as the worker has activity slots held every one of them, and every shop's orders
 * waited until a file was read through.
 *
 * An ordering, not a timing: the worker's main activity slots are as few here as B's files (2; 40 in production, and
 * a shop may have 200 files being read), and with the worker away B uploads its files and A sends one order. Once the
 * worker is back, A's order is booked while both of B's files are still being read.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settlementUploads } from '../../db/schema';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

const FILES = 2;
/** Sales per file: a file takes several seconds to read on any machine, one of A's bookings well under that. */
const ROWS = 300_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ slots: { workflowTasks: 10, activities: FILES } });
});
afterAll(() => h?.close());

const header = 'settlement_id,payout_date,type,transaction_id,order_id,currency,amount,fee,processed_at';
/** A QuickPay file of ROWS sales, refused at its corrupt last line once read through: it books nothing. */
const quickpayFile = (settlement: string) =>
  [
    header,
    ...Array.from({ length: ROWS }, (_, i) => `${settlement},2026-11-06,sale,qp-${settlement}-${i},ext-${i},DKK,10000,100,2026-11-02`),
    `${settlement},2026-11-06,sale,qp-last,ext-last,DKK,12x00,100,2026-11-02`,
  ].join('\n');

describe("one shop's settlement files and another shop's order", () => {
  it("books A's order while B's files are still being read", async () => {
    const a = await h.createShop({ name: 'A books normally', mapping: danishMapping });
    const b = await h.createShop({ name: 'B uploads', mapping: danishMapping });
    const apiA = shopClient(h, a.apiKey);
    const apiB = shopClient(h, b.apiKey);
    const conn = (await apiB.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'quickpay' })).json().connectionId as string;
    // A's ledger is warm (its workflow started), as in a shop that has booked before.
    await apiA.sendOrder(cardOrder('A-warm', 1_000));
    await apiA.orderReaches('A-warm', 'booked');

    const uploads: string[] = [];
    await h.stopWorker();
    try {
      for (let i = 0; i < FILES; i++) {
        const res = await h.app.inject({
          method: 'POST',
          url: `/v1/acquirers/${conn}/settlements`,
          headers: { authorization: `Bearer ${b.apiKey}`, 'content-type': 'text/csv' },
          payload: quickpayFile(`s-${i}`),
        });
        expect(res.statusCode, res.body).toBe(202);
        uploads.push(res.json().uploadId);
      }
      await apiA.sendOrder(cardOrder('A-1', 2_500));
    } finally {
      await h.startWorker();
    }
    await apiA.orderReaches('A-1', 'booked', 600_000);
    const read = await h.db
      .select({ id: settlementUploads.id, status: settlementUploads.status })
      .from(settlementUploads)
      .where(and(eq(settlementUploads.shopId, b.shopId), inArray(settlementUploads.status, ['done', 'refused'])));
    // Read in slots of their own, B's files were not what A's order waited for: neither was through when it booked.
    expect(read).toEqual([]);
    // And B's files are read in the end (refused at their last line, as made): behind nothing, not dropped.
    for (const id of uploads) expect(await apiB.uploadFinished(conn, id, 600_000)).toMatchObject({ status: 'refused', linesRead: ROWS });
  }, 900_000);
});
