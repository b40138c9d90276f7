import { missing, type HttpClient } from '../http';
import type { BillyOptions } from './client';
import { account, list, one, product, taxRate } from './schemas';

/**
 * Billy refers to accounts, tax rates and products by its own ids. We resolve our account numbers and VAT codes
 * once per adapter instance (one activity) and check them before writing, so a missing one is named precisely.
 */
export class BillyCatalog {
  private accounts?: Promise<Map<string, string>>;
  private taxRates?: Promise<Map<string, string>>;
  private readonly products = new Map<string, Promise<boolean>>();

  constructor(
    private readonly client: HttpClient,
    private readonly o: BillyOptions,
  ) {}

  /** accountNo → id */
  accountIds(): Promise<Map<string, string>> {
    this.accounts ??= this.client
      .json(list('accounts', account), 'GET', '/accounts', { query: { organizationId: this.o.organizationId, pageSize: 1000 } })
      .then((r) => new Map(r.accounts.filter((a) => !a.isArchived).map((a) => [String(a.accountNo), a.id])))
      .catch((e) => {
        this.accounts = undefined;
        throw e;
      });
    return this.accounts;
  }

  /** abbreviation and id → id */
  taxRateIds(): Promise<Map<string, string>> {
    this.taxRates ??= this.client
      .json(list('taxRates', taxRate), 'GET', '/taxRates', { query: { organizationId: this.o.organizationId, pageSize: 1000 } })
      .then((r) => {
        const m = new Map<string, string>();
        for (const t of r.taxRates.filter((t) => t.isActive !== false)) {
          m.set(t.id, t.id);
          if (t.abbreviation) m.set(t.abbreviation, t.id);
        }
        return m;
      })
      .catch((e) => {
        this.taxRates = undefined;
        throw e;
      });
    return this.taxRates;
  }

  forget(): void {
    this.accounts = undefined;
  }

  async accountId(accountNo: string): Promise<string> {
    const idOf = (await this.accountIds()).get(accountNo);
    if (!idOf) throw missing('missing_account', accountNo);
    return idOf;
  }

  async taxRateId(vatCode: string): Promise<string> {
    const key = this.o.taxRates?.[vatCode] ?? vatCode;
    const idOf = (await this.taxRateIds()).get(key);
    if (!idOf) throw missing('missing_vat_code', vatCode);
    return idOf;
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
