import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postingRequests } from '../../db/schema';
import { workflowIds } from '../../workflows/definitions';
import { shopClient, type JournalVoucher } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { createPerson, signIn } from '../support/people';

// Issue 12: one accounting company, several shops. Two shops of a merchant book into one local ledger at the same
// time, both with an order #1001: one queue, one gapless voucher sequence, and neither order taken for the other's.
describe('two shops, one company', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('books both shops through the company ledger: shared queue, gapless vouchers, #1001 twice', async () => {
    const owner = await createPerson(h, { merchant: 'Two Shops ApS' });
    const first = await h.createShop({ name: 'Mugs', mapping: danishMapping, merchantId: owner.merchantId });
    const second = await h.createShop({ name: 'Plates', mapping: danishMapping, merchantId: owner.merchantId });
    const mugs = shopClient(h, first.apiKey);
    const plates = shopClient(h, second.apiKey);

    const joined = await plates.call('PUT', '/v1/ledger', { ledgerId: first.ledgerId });
    expect(joined.statusCode, joined.body).toBe(200);
    expect(joined.json()).toMatchObject({ ledgerId: first.ledgerId, system: 'local', setup: { missingAccounts: [], missingVatCodes: [] } });
    const ledger = await mugs.call('GET', '/v1/ledger');
    expect(ledger.json().shops).toEqual([
      { shopId: first.shopId, name: 'Mugs', referencePrefix: null },
      { shopId: second.shopId, name: 'Plates', referencePrefix: 's2' },
    ]);

    // Both shops at once, each with its own #1001 and a few more.
    const ids = ['1001', '1002', '1003', '1004'];
    await Promise.all([...ids.map((id) => mugs.sendOrder(cardOrder(id, 10_000))), ...ids.map((id) => plates.sendOrder(cardOrder(id, 20_000)))]);
    const views = await Promise.all([...ids.map((id) => mugs.orderReaches(id, 'booked')), ...ids.map((id) => plates.orderReaches(id, 'booked'))]);
    // Both shops see the company's journal: one sequence, 1..n without a gap, each shop's #1001 its own invoice.
    const sequence = (journal: JournalVoucher[]) => journal.map((v) => v.number);
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const invoice = (journal: JournalVoucher[], reference: string) => journal.find((v) => v.kind === 'invoice' && v.reference === reference);
    const booked = await mugs.journal();
    expect(sequence(booked)).toEqual(upTo(2 * ids.length * 2));
    expect(await plates.journal()).toEqual(booked);
    const mugsInvoice = invoice(booked, '1001');
    const platesInvoice = invoice(booked, 's2/1001');
    expect(mugsInvoice?.lines.find((l) => l.account === '5600')?.amount).toBe(10_000);
    expect(platesInvoice?.lines.find((l) => l.account === '5600')?.amount).toBe(20_000);
    expect(mugsInvoice!.lines[0]!.text).toBe('Invoice for order #1001');
    expect(platesInvoice!.lines[0]!.text).toBe('Invoice for order s2/#1001');
    // Each shop's order shows its own voucher.
    expect(new Set(views.map((v) => v.documents.invoice)).size).toBe(2 * ids.length);

    // The refund credits the second shop's #1001, not the first's, and continues the sequence.
    await plates.sendRefund(refundOf('r1', '1001', 20_000));
    await plates.refundReaches('r1', 'booked');
    const journal = await mugs.journal();
    expect(sequence(journal)).toEqual(upTo(2 * ids.length * 2 + 2));
    const credit = journal.find((v) => v.kind === 'credit_note');
    expect(credit).toMatchObject({ reference: 's2/r1' });
    expect(credit!.lines.find((l) => l.account === '5600')?.amount).toBe(-20_000);

    // One queue: every posting went through the company ledger's workflow; the second shop's own ledger has none.
    const requests = await h.db.select({ ledgerId: postingRequests.ledgerId }).from(postingRequests).where(inArray(postingRequests.ledgerId, [first.ledgerId, second.ledgerId]));
    expect(requests.length).toBeGreaterThanOrEqual(2 * ids.length + 1);
    expect(new Set(requests.map((r) => r.ledgerId))).toEqual(new Set([first.ledgerId]));
    await expect(h.client.workflow.getHandle(workflowIds.ledger(second.ledgerId)).describe()).rejects.toThrow();
    const queue = await h.client.workflow.getHandle(workflowIds.ledger(first.ledgerId)).describe();
    expect(queue.type).toBeTruthy();
    expect((await h.db.select().from(postingRequests).where(eq(postingRequests.ledgerId, second.ledgerId))).length).toBe(0);
  }, 300_000);

  it("refuses another merchant's ledger as not found, and a shop whose bookings have begun", async () => {
    const owner = await createPerson(h, { merchant: 'Owner ApS' });
    const stranger = await createPerson(h, { merchant: 'Stranger ApS' });
    const own = await h.createShop({ name: 'Own', mapping: danishMapping, merchantId: owner.merchantId });
    const theirs = await h.createShop({ name: 'Theirs', mapping: danishMapping, merchantId: stranger.merchantId });
    const loose = await h.createShop({ name: 'No merchant', mapping: danishMapping });

    const refused = await shopClient(h, theirs.apiKey).call('PUT', '/v1/ledger', { ledgerId: own.ledgerId });
    expect(refused.statusCode, refused.body).toBe(404);
    expect(refused.json().error.code).toBe('not_found');
    expect((await shopClient(h, loose.apiKey).call('PUT', '/v1/ledger', { ledgerId: own.ledgerId })).statusCode).toBe(404);
    const bad = await shopClient(h, theirs.apiKey).call('PUT', '/v1/ledger', { ledgerId: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('ledgerId');

    // A shop that booked in its own ledger stays there: its refunds credit the invoices where they are.
    const busy = await h.createShop({ name: 'Busy', mapping: danishMapping, merchantId: owner.merchantId });
    const busyShop = shopClient(h, busy.apiKey);
    await busyShop.sendOrder(cardOrder('9001', 5_000));
    await busyShop.orderReaches('9001', 'booked');
    const moved = await busyShop.call('PUT', '/v1/ledger', { ledgerId: own.ledgerId });
    expect(moved.statusCode, moved.body).toBe(409);
    expect(moved.json().error.code).toBe('ledger_in_use');

    // The merchant's owner, signed in, joins the ledger for a shop (owner is the role a change needs).
    const signedShop = await h.createShop({ name: 'Signed', mapping: danishMapping, merchantId: owner.merchantId });
    const session = await signIn(h, owner);
    const viaSession = await session.call('PUT', '/v1/ledger', { shopId: signedShop.shopId, payload: { ledgerId: own.ledgerId } });
    expect(viaSession.statusCode, viaSession.body).toBe(200);
    expect((await session.call('GET', '/v1/ledger', { shopId: own.shopId })).json().shops.map((s: { name: string }) => s.name)).toEqual(['Own', 'Signed']);
  }, 120_000);

  it('refuses connecting a company another ledger of the merchant books into, naming the ledger to join', async () => {
    const owner = await createPerson(h, { merchant: 'Billy Twins ApS' });
    const first = await h.createShop({ name: 'First', merchantId: owner.merchantId });
    const second = await h.createShop({ name: 'Second', merchantId: owner.merchantId });
    // No mapping saved yet, so nothing asks Billy: the connection is only stored.
    const billy = { system: 'billy', credentials: { accessToken: 'billy-token-twins' }, settings: { organizationId: 'org_twins', daybookId: 'daybook_1', products: {} } };
    expect((await shopClient(h, first.apiKey).call('PUT', '/v1/ledger/connection', billy)).statusCode).toBe(200);
    const again = await shopClient(h, second.apiKey).call('PUT', '/v1/ledger/connection', billy);
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'ledger_company_connected' });
    expect(again.json().error.message).toContain(`PUT /v1/ledger {"ledgerId": "${first.ledgerId}"}`);
    const joined = await shopClient(h, second.apiKey).call('PUT', '/v1/ledger', { ledgerId: first.ledgerId });
    expect(joined.json()).toMatchObject({ ledgerId: first.ledgerId, system: 'billy', setup: null });
    // The company is one merchant's ledger: another merchant connecting the same organization has its own.
    const stranger = await createPerson(h, { merchant: 'Stranger ApS' });
    const theirs = await h.createShop({ name: 'Theirs', merchantId: stranger.merchantId });
    expect((await shopClient(h, theirs.apiKey).call('PUT', '/v1/ledger/connection', billy)).statusCode).toBe(200);
  });

  it('counts draft numbers per ledger: a new ledger starts at draft:1', async () => {
    const busy = shopClient(h, (await h.createShop({ name: 'Earlier', mapping: danishMapping, ledger: { mode: 'draft' } })).apiKey);
    await busy.sendOrder(cardOrder('d-1', 1_000));
    await busy.sendOrder(cardOrder('d-2', 1_000));
    await busy.orderReaches('d-1', 'drafted');
    await busy.orderReaches('d-2', 'drafted');
    const fresh = shopClient(h, (await h.createShop({ name: 'New', mapping: danishMapping, ledger: { mode: 'draft' } })).apiKey);
    await fresh.sendOrder(cardOrder('n-1', 1_000));
    const view = await fresh.orderReaches('n-1', 'drafted');
    expect(view.documents.invoice).toBe('draft:1');
  }, 120_000);
});
