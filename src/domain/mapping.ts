import { z } from 'zod';
import { vatRatesIssues } from './vat-rates';

const account = z.string().min(1).max(50);
const vatCode = z.string().min(1).max(50);
/**
 * Every object of the mapping is strict: a key it does not know (a typo such as "disputs") is refused naming the key,
 * never silently dropped, so the account the owner meant is never quietly missing from the books.
 */
const strict = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown key ${iss.keys.map((k) => `"${k}"`).join(', ')}: not a field of the mapping here` : undefined,
  });
const accountWithVat = strict({ account, vatCode });
const byRegion = strict({ domestic: accountWithVat, eu: accountWithVat, outsideEu: accountWithVat });

/** An acquirer's own accounts ("Gebyrkonto [indløser]"): its fees, and the chargebacks it took back. */
const acquirerAccounts = strict({
  /** Its fees; without it the shared accounts.fee. */
  fee: account.optional(),
  /** Chargebacks (disputes lost or open) debit it, disputes won credit it back. */
  disputes: account.optional(),
});

/**
 * A shop's "enrichment templates": how its orders become ledger documents.
 * Everything a posting plan needs that the order itself does not say.
 */
export const mappingSchema = strict({
  /** Country of the ledger's company; decides domestic / EU / outside EU. */
  homeCountry: z.string().regex(/^[A-Z]{2}$/),
  /** Order statuses that mean "ready to book", e.g. paid, completed. */
  readyStatuses: z.array(z.string().min(1)).min(1),
  goods: byRegion,
  shipping: byRegion,
  paymentFee: accountWithVat.optional(),
  /** Gift cards sold are a liability (no VAT) until redeemed. */
  giftCardAccount: account.optional(),
  /** Tips the customer added (Shopify total_tip_received): owed to staff, outside VAT. */
  tipsAccount: account.optional(),
  /** Import duties collected with the order (Shopify duties): owed to customs, outside VAT. */
  dutiesAccount: account.optional(),
  /**
   * Where a refund paid back outside the payment gateway goes (WooCommerce refunded_payment false: cash, bank
   * transfer): the money left from here, not from the acquirer's receivable. Typically the bank or cash account.
   */
  refundsOutsideGatewayAccount: account.optional(),
  /** The customer receivable (debtor) account an invoice debits. */
  customerReceivableAccount: account,
  /** VAT codes: rate in percent and the output VAT account it posts to. */
  vatCodes: z.record(vatCode, strict({ rate: z.number().min(0).max(100), account })),
  /**
   * The VAT table, for shops that sell at more than one rate: place (domestic, eu, outsideEu, or under OSS an EU
   * country code) → rate in percent ("25", "12.5", "0") → VAT code in vatCodes (whose account takes the VAT) and,
   * optionally, the sales account of every taxable line at that rate there (else goods/shipping/paymentFee's). A
   * place without a table books every line on its region's single vatCode (goods/shipping) as before.
   */
  vatRates: z.record(z.string(), z.record(z.string(), strict({ vatCode, account: account.optional() }))).optional(),
  /** Registered for the EU one-stop shop: EU consumer sales are taxed at the destination country's rate (vatRates.<country>). */
  oss: z.boolean().optional(),
  /** Payment method (dankort, visa, mobilepay …) → acquirer and the balance account that holds its claim. */
  paymentMethods: z.record(
    z.string().min(1),
    strict({ acquirer: z.string().min(1), receivableAccount: account }),
  ),
  /** Per acquirer (the name paymentMethods use): its fee and disputes accounts. */
  acquirers: z.record(z.string().min(1), acquirerAccounts).optional(),
  /** Per ledger: where payouts, fees (unless the acquirer has its own), unmatched lines and rounding go. */
  accounts: strict({
    bank: account,
    fee: account,
    error: account,
    rounding: account,
    currencyDifference: account.optional(),
  }),
}).superRefine((m, ctx) => {
  for (const [path, message] of vatRatesIssues(m)) ctx.addIssue({ code: 'custom', path, message });
  // An acquirer no payment method names would never receive a payout line: most likely a misspelt name.
  const named = new Set(Object.values(m.paymentMethods).map((p) => p.acquirer));
  for (const name of Object.keys(m.acquirers ?? {})) {
    if (!named.has(name)) {
      ctx.addIssue({ code: 'custom', path: ['acquirers', name], message: `no payment method names acquirer "${name}" (paymentMethods name: ${[...named].join(', ') || 'none'})` });
    }
  }
});

export type Mapping = z.infer<typeof mappingSchema>;

/** The accounts a payout of this acquirer books to: its own fee account or the shared one, and its disputes account. */
export function accountsOfAcquirer(m: Pick<Mapping, 'accounts' | 'acquirers'>, acquirer: string): { fee: string; disputes?: string } {
  const own = m.acquirers?.[acquirer];
  return { fee: own?.fee ?? m.accounts.fee, ...(own?.disputes ? { disputes: own.disputes } : {}) };
}
export type AccountWithVat = z.infer<typeof accountWithVat>;

/** Every account and VAT code the mapping names: what the ledger must have before anything is booked. */
export function mappingNeeds(m: Mapping): { accounts: string[]; vatCodes: string[] } {
  const withVat = [m.goods, m.shipping].flatMap((r) => [r.domestic, r.eu, r.outsideEu]);
  if (m.paymentFee) withVat.push(m.paymentFee);
  const accounts = [
    ...withVat.map((a) => a.account),
    m.customerReceivableAccount,
    ...[m.giftCardAccount, m.tipsAccount, m.dutiesAccount, m.refundsOutsideGatewayAccount].filter((a): a is string => a !== undefined),
    ...Object.values(m.vatCodes).map((v) => v.account),
    ...Object.values(m.paymentMethods).map((p) => p.receivableAccount),
    ...Object.values(m.accounts).filter((a): a is string => a !== undefined),
    ...Object.values(m.acquirers ?? {}).flatMap((a) => [a.fee, a.disputes]).filter((a): a is string => a !== undefined),
  ];
  const table = Object.values(m.vatRates ?? {}).flatMap((rates) => Object.values(rates));
  accounts.push(...table.flatMap((r) => (r.account ? [r.account] : [])));
  return { accounts: [...new Set(accounts)], vatCodes: [...new Set([...withVat.map((a) => a.vatCode), ...table.map((r) => r.vatCode)])] };
}

/** The output VAT accounts and the VAT table's sales accounts the mapping names, with a name for a new account. */
export function vatAccounts(m: Mapping): Map<string, { name: string; type: 'balance' | 'expense' }> {
  const out = new Map<string, { name: string; type: 'balance' | 'expense' }>();
  for (const [code, v] of Object.entries(m.vatCodes)) if (!out.has(v.account)) out.set(v.account, { name: `Output VAT ${code}`, type: 'balance' });
  for (const [place, rates] of Object.entries(m.vatRates ?? {})) {
    for (const [rate, r] of Object.entries(rates)) if (r.account && !out.has(r.account)) out.set(r.account, { name: `Sales ${place} ${rate} %`, type: 'expense' });
  }
  return out;
}
