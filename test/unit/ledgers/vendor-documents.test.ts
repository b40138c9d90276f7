import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dineroValidator } from '../../support/fake-ledgers/dinero-api';
import { economicFilterable, economicValidator } from '../../support/fake-ledgers/economic-api';
import { fikenValidator } from '../../support/fake-ledgers/fiken-api';
import { uniEconomyValidator } from '../../support/fake-ledgers/uni-economy-api';
import { restdocsEndpoint } from '../../support/restdocs-schema';
import { VENDOR_FIXTURES } from '../../support/vendor-schemas';

/**
 * The fakes judge requests by the vendors' published documents (test/fixtures/vendors). These tests pin what those
 * documents say, so a fake that drifted from them (or a document replaced by a different version) shows here.
 */

const req = (method: string, path: string, query = '', body?: unknown) => ({ method, path, query: new URLSearchParams(query), body });

describe('Fiken OpenAPI 2.0.0 as a request validator', () => {
  const fiken = fikenValidator();
  const slug = '/companies/demo-as';

  it('accepts documented requests', () => {
    expect(fiken(req('GET', `${slug}/accounts`, 'page=0&pageSize=100'))).toEqual([]);
    expect(fiken(req('GET', `${slug}/invoices`, 'orderReference=lb:inv:1&page=0&pageSize=1'))).toEqual([]);
    expect(fiken(req('POST', `${slug}/sales/7/payments`, '', { date: '2026-11-02', account: '1920:10002', amount: 10_000 }))).toEqual([]);
  });

  it('refuses undocumented filters, pages over 100, non-integer øre and missing required fields', () => {
    expect(fiken(req('GET', `${slug}/accounts`, 'pageSize=1000'))).toEqual(['query.pageSize: must be <= 100']);
    expect(fiken(req('GET', `${slug}/journalEntries`, 'description=lb:po:1'))).toEqual([
      'query.description: is not a documented parameter of GET /companies/{companySlug}/journalEntries',
    ]);
    expect(fiken(req('POST', `${slug}/sales/7/payments`, '', { date: '2026-11-02', account: '1920:10002', amount: 100.5 }))).toContain('body.amount: must be integer');
    expect(fiken(req('POST', `${slug}/sales/7/payments`, '', { account: '1920:10002', amount: 100 }))).toEqual(['body.date: is required']);
    expect(fiken(req('DELETE', `${slug}/accounts/1920`))[0]).toMatch(/is not a documented operation/);
  });
});

describe('e-conomic restdocs as a request validator', () => {
  const economic = economicValidator();

  it('reads the documented required and filterable properties', () => {
    expect(restdocsEndpoint('invoices.md', 'POST', '/invoices/drafts')).toMatchObject({
      schemaName: 'invoices.drafts.post.schema.json',
      required: ['currency', 'customer', 'date', 'layout', 'paymentTerms', 'recipient', 'recipient.name', 'recipient.vatZone'],
    });
    expect(economicFilterable['/accounting-years']).toEqual(['fromDate', 'toDate', 'year']);
    expect(economicFilterable['/invoices/booked']).toContain('references.other');
    expect(economicFilterable['/customers']).toContain('email');
  });

  it('refuses a filter on a property the collection does not document as filterable, and pages over 1,000', () => {
    expect(economic(req('GET', '/customers', 'filter=email$eq:a@b.dk&pagesize=1'))).toEqual([]);
    expect(economic(req('GET', '/customers', 'filter=mobilePhone$eq:123'))[0]).toMatch(/mobilePhone is not a filterable property/);
    expect(economic(req('GET', '/invoices/booked', 'pagesize=5000'))).toEqual(['query.pagesize: must be <= 1000']);
  });

  it('refuses a draft invoice without the documented required properties or with too long a text', () => {
    const draft = {
      date: '2026-11-02',
      currency: 'DKK',
      customer: { customerNumber: 1 },
      recipient: { name: 'Jens Hansen', vatZone: { vatZoneNumber: 1 } },
      paymentTerms: { paymentTermsNumber: 1 },
      layout: { layoutNumber: 19 },
      references: { other: 'lb:inv:1' },
    };
    expect(economic(req('POST', '/invoices/drafts', '', draft))).toEqual([]);
    const { recipient: _r, ...noRecipient } = draft;
    expect(economic(req('POST', '/invoices/drafts', '', noRecipient))).toEqual(['body.recipient: is required']);
    expect(economic(req('POST', '/invoices/drafts', '', { ...draft, recipient: { vatZone: { vatZoneNumber: 1 } } }))).toEqual(['body.recipient.name: is required']);
    expect(economic(req('POST', '/invoices/drafts', '', { ...draft, references: { other: 'x'.repeat(251) } }))).toEqual([
      'body.references.other: must NOT have more than 250 characters',
    ]);
  });

  it('refuses a journal voucher entry without its documented amount and date', () => {
    const voucher = { accountingYear: { year: '2026' }, journal: { journalNumber: 1 }, entries: { financeVouchers: [{ account: { accountNumber: 5820 }, amount: 10 }] } };
    expect(economic(req('POST', '/journals/1/vouchers', '', voucher))).toEqual(['body.entries.financeVouchers[0].date: is required']);
  });
});

describe('every vendor folder says where its documents come from', () => {
  const vendors = readdirSync(VENDOR_FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it.each(vendors)('%s has a SOURCE.md naming the source and when it was read', (vendor) => {
    const source = join(VENDOR_FIXTURES, vendor, 'SOURCE.md');
    expect(existsSync(source), `${vendor}/SOURCE.md`).toBe(true);
    const text = readFileSync(source, 'utf8');
    expect(text).toMatch(/20\d\d-\d\d-\d\d/); // the date it was read or the version's date
    expect(text.toLowerCase()).toMatch(/not verified|unverified|known differences/); // and what it does not settle
  });
});

describe("Dinero's API document (extract) as a request validator", () => {
  const dinero = dineroValidator();
  const org = '/v1/123456';
  const line = { Description: 'Coffee mug', Quantity: 1, AccountNumber: 1010, Unit: 'parts', Discount: 0, LineType: 'Product', BaseAmountValue: 80 };
  const invoice = { Guid: '0b7e0c2a-6f1d-5a3b-8c4d-1e2f3a4b5c6d', ExternalReference: 'lb:inv:1', Date: '2026-11-02', ProductLines: [line] };

  it('accepts documented requests', () => {
    expect(dinero(req('POST', `${org}/invoices`, '', invoice))).toEqual([]);
    expect(dinero(req('POST', `${org}/invoices/${invoice.Guid}/book`, '', { Timestamp: '00000000001' }))).toEqual([]);
    expect(dinero(req('GET', `${org}/contacts`, 'page=0&pageSize=100'))).toEqual([]);
  });

  it('refuses what the document does not allow: no lines, a long reference, a line without its account, a book without Timestamp, an undocumented filter', () => {
    expect(dinero(req('POST', `${org}/invoices`, '', { ...invoice, ProductLines: [] }))).toEqual(['body.ProductLines: must NOT have fewer than 1 items']);
    expect(dinero(req('POST', `${org}/invoices`, '', { ...invoice, ExternalReference: 'x'.repeat(129) }))).toEqual(['body.ExternalReference: must NOT have more than 128 characters']);
    const { AccountNumber: _a, ...noAccount } = line;
    expect(dinero(req('POST', `${org}/invoices`, '', { ...invoice, ProductLines: [noAccount] }))).toEqual(['body.ProductLines[0].AccountNumber: is required']);
    expect(dinero(req('POST', `${org}/invoices/${invoice.Guid}/book`, '', {}))).toEqual(['body.Timestamp: is required']);
    expect(dinero(req('GET', `${org}/accounts/entry`, 'fields=Name'))[0]).toMatch(/query.fields: is not a documented parameter/);
    expect(dinero(req('POST', `${org}/invoices`, '', { ...invoice, VatCode: 'U25' }))).toEqual(['body.VatCode: is not a documented property']);
  });
});

describe("Uni Economy's swagger (extract) as a request validator", () => {
  const uni = uniEconomyValidator();
  const invoice = { CustomerID: 7, InvoiceDate: '2026-11-02', InvoiceType: 0, InternalNote: 'lb:inv:1', Items: [{ ItemText: 'Mug', NumberOfItems: 1, PriceExVat: 98.76, AccountID: 1001, VatTypeID: 11 }] };

  it('accepts documented requests', () => {
    expect(uni(req('POST', '/api/biz/invoices', '', invoice))).toEqual([]);
    expect(uni(req('POST', '/api/biz/invoices/12', 'action=invoice'))).toEqual([]);
    expect(uni(req('GET', '/api/biz/invoices', "filter=InternalNote eq 'lb:inv:1'"))).toEqual([]);
    expect(uni(req('POST', '/api/biz/journalentries', 'action=book-journal-entries', [{ Description: 'lb:po:1', DraftLines: [{ AccountID: 1, Amount: 1, FinancialDate: '2026-11-04' }] }]))).toEqual([]);
  });

  it('refuses undocumented properties, parameters and actions, and wrong types', () => {
    expect(uni(req('POST', '/api/biz/invoices', '', { ...invoice, Items: [{ ...invoice.Items[0], VatCode: '3' }] }))).toEqual(['body.Items[0].VatCode: is not a documented property']);
    expect(uni(req('POST', '/api/biz/invoices', '', { ...invoice, InvoiceType: 'credit' }))).toEqual(['body.InvoiceType: must be integer']);
    expect(uni(req('GET', '/api/biz/accounts', 'fields=AccountNumber'))[0]).toMatch(/query.fields: is not a documented parameter/);
    expect(uni(req('PUT', '/api/biz/invoices/12', 'action=pay-everything'))[0]).toMatch(/is not a documented operation/);
    expect(uni(req('POST', '/api/biz/journalentries', '', [{ Description: 'x' }]))[0]).toMatch(/POST \/journalentries: is not a documented operation/);
  });
});
