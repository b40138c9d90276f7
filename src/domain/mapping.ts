import { z } from 'zod';

const account = z.string().min(1).max(50);
const vatCode = z.string().min(1).max(50);
const accountWithVat = z.object({ account, vatCode });
const byRegion = z.object({ domestic: accountWithVat, eu: accountWithVat, outsideEu: accountWithVat });

/**
 * A shop's "enrichment templates": how its orders become ledger documents.
 * Everything a posting plan needs that the order itself does not say.
 */
export const mappingSchema = z.object({
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
  vatCodes: z.record(vatCode, z.object({ rate: z.number().min(0).max(100), account })),
  /** Payment method (dankort, visa, mobilepay …) → acquirer and the balance account that holds its claim. */
  paymentMethods: z.record(
    z.string().min(1),
    z.object({ acquirer: z.string().min(1), receivableAccount: account }),
  ),
  /** Per ledger: where payouts, fees, unmatched lines and rounding go. */
  accounts: z.object({
    bank: account,
    fee: account,
    error: account,
    rounding: account,
    currencyDifference: account.optional(),
  }),
});

export type Mapping = z.infer<typeof mappingSchema>;
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
  ];
  return { accounts: [...new Set(accounts)], vatCodes: [...new Set(withVat.map((a) => a.vatCode))] };
}
