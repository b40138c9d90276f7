import { missing, type HttpClient } from '../http';
import type { BillyOptions } from './client';
import type { z } from 'zod';
import { account, list, one, product, taxRate } from './schemas';

type BillyAccount = z.infer<typeof account>;
export type BillyTaxRate = z.infer<typeof taxRate>;

/**
 * Billy refers to accounts, tax rates and products by its own ids. We resolve our account numbers and VAT codes
 * once per adapter instance (one activity) and check them before writing, so a missing one is named precisely.
 */
export class BillyCatalog {
  private accounts?: Promise<Map<string, BillyAccount>>;
  private taxRates?: Promise<Map<string, BillyTaxRate>>;
  private readonly products = new Map<string, Promise<boolean>>();

  constructor(
    private readonly client: HttpClient,
    private readonly o: BillyOptions,
  ) {}

  /** accountNo → the account (archived ones left out) */
  accountIds(): Promise<Map<string, BillyAccount>> {
    this.accounts ??= this.client
      .json(list('accounts', account), 'GET', '/accounts', { query: { organizationId: this.o.organizationId, pageSize: 1000 } })
      .then((r) => new Map(r.accounts.filter((a) => !a.isArchived).map((a) => [String(a.accountNo), a])))
      .catch((e) => {
        this.accounts = undefined;
        throw e;
      });
    return this.accounts;
  }

  /** abbreviation and id → the active tax rate */
  taxRateIds(): Promise<Map<string, BillyTaxRate>> {
    this.taxRates ??= this.client
      .json(list('taxRates', taxRate), 'GET', '/taxRates', { query: { organizationId: this.o.organizationId, pageSize: 1000 } })
      .then((r) => {
        const m = new Map<string, BillyTaxRate>();
        for (const t of r.taxRates.filter((t) => t.isActive !== false)) {
          m.set(t.id, t);
          if (t.abbreviation) m.set(t.abbreviation, t);
        }
        return m;
      })
      .catch((e) => {
        this.taxRates = undefined;
        throw e;
      });
    return this.taxRates;
  }

  /** The tax rate one of our VAT codes names: through the connection's taxRates, else a Billy id or abbreviation. */
  async taxRateFor(vatCode: string): Promise<BillyTaxRate | undefined> {
    return (await this.taxRateIds()).get(this.o.taxRates?.[vatCode] ?? vatCode);
  }

  forget(): void {
    this.accounts = undefined;
  }

  async accountId(accountNo: string): Promise<string> {
    const found = (await this.accountIds()).get(accountNo);
    if (!found) throw missing('missing_account', accountNo);
    return found.id;
  }

  async taxRateId(vatCode: string): Promise<string> {
    const found = await this.taxRateFor(vatCode);
    if (!found) throw missing('missing_vat_code', vatCode);
    return found.id;
  }

  /** The product for a sales account, checked to exist (Billy refuses lines whose product is gone). */
  async productFor(accountNo: string): Promise<string> {
    const productId = this.o.products[accountNo];
    if (!productId) throw missing('missing_product', accountNo, { reason: `no Billy product is configured for sales account ${accountNo}` });
    let exists = this.products.get(productId);
    if (!exists) {
      exists = this.client
        .request('GET', `/products/${encodeURIComponent(productId)}`, { allow: [404] })
        .then((r) => r.status !== 404 && one('product', product).safeParse(r.body).success);
      this.products.set(productId, exists);
      exists.catch(() => this.products.delete(productId));
    }
    if (!(await exists)) throw missing('missing_product', productId, { account: accountNo });
    return productId;
  }
}
