import { z } from 'zod';
import { isIsoCurrency, isoCurrencyMessage } from './currency';

/** Integer amount in minor units (øre, cents). Money is never a float. */
export const minorUnits = z.number().int('must be an integer amount in minor units (e.g. øre), not a decimal');
export const currencySchema = z.string().refine(isIsoCurrency, isoCurrencyMessage);
const currency = currencySchema;
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. DK');

/**
 * tip and duty are amounts the customer paid on top of the sale that are no revenue of the shop's goods: a tip is
 * passed on to staff, a duty to customs. Both are outside VAT and book to their own account (like a gift card sold).
 */
export const orderLineKinds = ['goods', 'shipping', 'payment_fee', 'gift_card', 'tip', 'duty'] as const;

export const orderLineSchema = z.object({
  /** goods and shipping carry VAT by region; a gift card sold is a liability, not a sale. */
  kind: z.enum(orderLineKinds).default('goods'),
  sku: z.string().max(200).optional(),
  description: z.string().min(1).max(500),
  quantity: z.number().positive().max(1_000_000),
  /** Price of one unit, in minor units; includes VAT when the order's pricesIncludeVat is true. */
  unitPrice: minorUnits,
  /** Discount on the whole line, in minor units, same VAT basis as unitPrice. */
  discount: minorUnits.nonnegative().default(0),
  /** VAT rate in percent, e.g. 25. */
  vatRate: z.number().min(0).max(100),
  /**
   * The VAT of the whole line as the shop stated and charged it (Shopify's tax_lines[].price), in minor units. When
   * given it is booked as is: it is what the customer paid, even where the rate gives another rounding.
   */
  vat: minorUnits.optional(),
});

export const paymentTransactionSchema = z.object({
  /** The shop's id of the transaction: unique within the order, it keys the payment registration. */
  id: z.string().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, 'may contain letters, digits and . _ - only'),
  /** The gateway (gift_card, quickpay …): mapped like `method`; gift_card settles against the gift card liability. */
  method: z.string().min(1).max(100),
  amount: minorUnits.positive('a payment transaction moves a positive amount'),
  /** The acquirer's transaction id; payouts match on it first. */
  transactionId: z.string().max(200).optional(),
  /** A successful sale or capture: the money was taken. */
  captured: z.boolean(),
  capturedAt: z.iso.datetime({ offset: true }).optional(),
});

export const orderSchema = z.object({
  /** The shop's own id of the order: our external reference in every ledger document. */
  orderId: z.string().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'may contain letters, digits and . _ : - only'),
  /** The number a person sees in the shop (#1001). */
  orderNumber: z.string().min(1).max(100),
  status: z.string().min(1).max(100),
  createdAt: z.iso.datetime({ offset: true }),
  /**
   * When the shop last changed the order. Webhooks arrive out of order (a retried "created" after "paid"); with it,
   * an older snapshot never replaces a newer one. Without it the last delivery wins.
   */
  updatedAt: z.iso.datetime({ offset: true }).optional(),
  currency,
  pricesIncludeVat: z.boolean().default(true),
  customer: z.object({
    name: z.string().min(1).max(300),
    email: z.email().optional(),
    externalId: z.string().max(200).optional(),
    vatNumber: z.string().max(50).optional(),
  }),
  deliveryCountry: country,
  lines: z.array(orderLineSchema).min(1, 'an order needs at least one line').max(1000),
  /** The total the shop charged, incl. VAT, in minor units; never negative (money back is a refund). */
  total: minorUnits.nonnegative('must not be negative: money paid back is a refund (POST /v1/webhooks/refunds)'),
  payment: z
    .object({
      /** dankort, visa, mobilepay …: mapped per shop to an acquirer and its receivable account. */
      method: z.string().min(1).max(100),
      /** The acquirer's transaction id; payouts match on it first. */
      transactionId: z.string().max(200).optional(),
      amount: minorUnits.nonnegative('must not be negative: money paid back is a refund (POST /v1/webhooks/refunds)'),
      capturedAt: z.iso.datetime({ offset: true }).optional(),
      /**
       * The order was paid through several gateways (a gift card and a card): `method` is only the first. Without
       * `transactions` how much each took is not known, so no payment can be registered for it.
       */
      splitMethods: z.array(z.string().min(1).max(100)).min(2).max(20).optional(),
      /**
       * The order's payment transactions (Shopify's Order Transaction resource), when known: each captured one is
       * registered as a payment of its own, on its own method's receivable. An authorization never captured is
       * listed with captured false: money reserved, not taken.
       */
      transactions: z.array(paymentTransactionSchema).min(1).max(100).optional(),
    })
    .optional(),
});

export const refundLineSchema = z.object({
  /** Index into the order's lines. */
  lineIndex: z.number().int().nonnegative(),
  quantity: z.number().positive(),
});

export const refundSchema = z.object({
  refundId: z.string().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'may contain letters, digits and . _ : - only'),
  orderId: z.string().min(1).max(200),
  createdAt: z.iso.datetime({ offset: true }),
  currency,
  /** Lines refunded; when absent the refund is an amount (spread over the order's VAT rates). */
  lines: z.array(refundLineSchema).max(1000).optional(),
  /** Total refunded incl. VAT, positive, in minor units. */
  amount: minorUnits.positive('a refund amount is positive'),
  transactionId: z.string().max(200).optional(),
  reason: z.string().max(500).optional(),
  /**
   * The money went back outside the payment gateway (WooCommerce refunded_payment false: cash, a bank transfer), so
   * it is not taken from the acquirer's receivable; the mapping's refundsOutsideGatewayAccount says where from.
   */
  outsideGateway: z.boolean().optional(),
});


export type OrderLine = z.infer<typeof orderLineSchema>;
export type Order = z.infer<typeof orderSchema>;
export type OrderInput = z.input<typeof orderSchema>;
export type RefundLine = z.infer<typeof refundLineSchema>;
export type PaymentTransaction = z.infer<typeof paymentTransactionSchema>;
export type Refund = z.infer<typeof refundSchema>;
