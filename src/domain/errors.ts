/**
 * The error catalog: every way a booking can stop, in words a shop owner understands, with the fix.
 * Workflows carry only the code and details; the message and fix are looked up here when shown.
 */
export const errorCatalog = {
  mapping_missing: {
    message: 'The shop has no booking mapping yet, so we do not know which accounts to use.',
    fix: 'Save the shop mapping (PUT /v1/mapping), then restart the order.',
  },
  unmapped_payment_method: {
    message: 'The order was paid with a payment method that is not mapped to an acquirer.',
    fix: 'Add the payment method to the mapping under paymentMethods (acquirer and receivable account) with PUT /v1/mapping; a gift card redeemed (method gift_card) settles against giftCardAccount, the liability its sale credited. Then restart: POST /v1/orders/:orderId/restart.',
  },
  unmapped_vat_rate: {
    message: 'An order line has a VAT rate that no VAT code in the mapping carries for where the sale is taxed (details: place, rate).',
    fix: 'Name a VAT code for this place and rate in the mapping with PUT /v1/mapping (vatRates.<place>.<rate>, the code in vatCodes with its rate and output VAT account; place is domestic, eu, outsideEu or, under OSS, the customer\'s country), or correct the rate in the shop, then restart: POST /v1/orders/:orderId/restart.',
  },
  missing_account: {
    message: 'An account named in the mapping does not exist in the ledger.',
    fix: 'Create the account in the ledger or correct the account number in the mapping, then restart.',
  },
  missing_vat_code: {
    message: 'A VAT code named in the mapping does not exist in the ledger.',
    fix: 'Create the VAT code in the ledger or correct it in the mapping, then restart.',
  },
  vat_rate_not_taken: {
    message: "The ledger's VAT code for an invoice line books another rate than the line carries (details: vatCode, vendorVatCode, vendorRate, rate), so the invoice would show other VAT than the customer paid; nothing was booked.",
    fix: "Translate our VAT code to a ledger VAT code of the line's rate in the connection settings (PUT /v1/ledger/connection), or name another code for the rate in the mapping (PUT /v1/mapping: vatRates), then restart: POST /v1/orders/:orderId/restart.",
  },
  missing_product: {
    message: 'A product on the order does not exist in the ledger.',
    fix: 'Create the product in the ledger (or book plain lines without products), then restart.',
  },
  ledger_credentials_rejected: {
    message: 'The ledger rejected our credentials.',
    fix: 'Renew the API key/token in the ledger and save it on the ledger connection, then restart.',
  },
  ledger_unreachable: {
    message: 'The ledger did not answer, even after repeated retries.',
    fix: 'Check the ledger provider status page; restart the posting when it is back.',
  },
  ledger_rejected: {
    message: 'The ledger refused the document.',
    fix: "Read the ledger's own message in the details, correct the data or the ledger setup, then restart.",
  },
  quota_exhausted: {
    message: "The ledger's monthly posting quota is used up.",
    fix: 'Raise the quota (PUT /v1/ledger/quota {"monthlyQuota": …}, null for no limit) or wait for the next month; postings resume by themselves.',
  },
  accounting_year_missing: {
    message: 'The ledger has no accounting year that contains the date of the document.',
    fix: 'Create the accounting year in the ledger (e-conomic: Settings → Accounting years), then restart: POST /v1/orders/:orderId/restart, /v1/refunds/:refundId/restart or /v1/payouts/restart.',
  },
  accounting_year_closed: {
    message: 'The date of the document falls in an accounting year that is closed in the ledger, which takes no more entries.',
    fix: 'Reopen the accounting year in the ledger if the document belongs there (else book it by hand in an open year), then restart: POST /v1/orders/:orderId/restart, /v1/refunds/:refundId/restart or /v1/payouts/restart.',
  },
  ledger_totals_mismatch: {
    message: 'The ledger computed other totals for the invoice (net, VAT or gross) than the shop charged, so it was not booked.',
    fix: "Check in the ledger the VAT zone for the order's region (e-conomic setting vatZones) and the product group of each line's product (its sales account and VAT for that zone), correct them, then restart: POST /v1/orders/:orderId/restart or /v1/refunds/:refundId/restart.",
  },
  payment_account_not_bank: {
    message: "The ledger registers payments only on a bank account, and the acquirer's receivable account in the mapping is not one.",
    fix: "Create a bank account for the acquirer's settlements in the ledger (Fiken: Innstillinger → Bankkontoer), put its account code (1920:XXXXX) as the payment method's receivableAccount with PUT /v1/mapping, then restart: POST /v1/orders/:orderId/restart or /v1/orders/restart.",
  },
  payment_terms_changed: {
    message: "The customer's payment terms in the ledger no longer allow the payment registration.",
    fix: 'Restore the payment terms in the ledger or update them in the mapping, then restart.',
  },
  totals_mismatch: {
    message: 'The order lines do not add up to the order total beyond what rounding can explain.',
    fix: 'Correct the order in the shop (lines, discounts or total) and send it again.',
  },
  currency_mismatch: {
    message: 'Amounts in different currencies were mixed in one document.',
    fix: 'Check the currency of the order, its refund or payout in the shop or acquirer.',
  },
  currency_not_in_ledger: {
    message: "The order is in another currency than the ledger keeps its books in, and sales are not converted, so nothing of it was booked.",
    fix: "If the order's currency is wrong, correct it in the shop and send the order again (it books by itself; or POST /v1/orders/:orderId/restart). If the shop really sells in that currency, book the order by hand in the ledger at the day's rate, or give those sales a ledger of their own in that currency (POST /v1/admin/shops with ledger.currency).",
  },
  refund_exceeds_order: {
    message: 'The refund is larger than what is left to refund on the order.',
    fix: 'Check the refund in the shop; book a correction by hand if the shop refunded too much.',
  },
  split_payment_unsupported: {
    message: "The order was paid through several payment methods (e.g. a gift card and a card) and its transactions, which say how much each took, could not be read: the invoice is booked, its payment is not registered.",
    fix: "Save the store's URL and REST API keys (read_orders) with PUT /v1/channel, then restart the order with POST /v1/orders/:orderId/restart: its transactions are fetched and each captured one is registered on its own method (a gift card against giftCardAccount). Or register each part by hand in the ledger.",
  },
  unmapped_refund_outside_gateway: {
    message: 'The refund was paid back outside the payment gateway (cash, bank transfer), and the mapping does not say from which account.',
    fix: 'Add refundsOutsideGatewayAccount (e.g. the bank or cash account) to the mapping with PUT /v1/mapping, then restart the refund (POST /v1/refunds/:refundId/restart).',
  },
  payment_unknown_invoice: {
    message: 'A payment refers to an invoice that was never booked.',
    fix: 'Book (or restart) the order the payment belongs to; the payment follows.',
  },
  // A refund waiting for its order (not a failure: it books by itself once the order is booked).
  refund_order_missing: {
    message: "The refund's order has not reached us, so there is no invoice to credit yet; the refund books by itself once its order is booked.",
    fix: 'Check that the shop sends the order: GET /v1/channel/events?outcome=rejected lists deliveries that did not map; a generic-webhook shop sends it to POST /v1/webhooks/orders; with store REST keys saved, POST /v1/backfill fetches it.',
  },
  refund_order_not_booked: {
    message: "The refund's order is not booked yet, so there is no invoice to credit; the refund books by itself once its order is booked.",
    fix: 'See why with GET /v1/orders/:orderId and its timeline (GET /v1/orders/:orderId/timeline): restart a failed order with POST /v1/orders/:orderId/restart, book a reviewed draft with POST /v1/orders/:orderId/book-draft; an order waiting for a status the shop books follows when the shop sets it.',
  },
  refund_order_payment_pending: {
    message: "The refund's order has its invoice booked but its payment is not registered yet, so there is no payment for the refund to reverse; the refund books by itself once the payment is registered.",
    fix: "See the order's error with GET /v1/orders/:orderId, fix it (e.g. map its payment method with PUT /v1/mapping), then restart the order with POST /v1/orders/:orderId/restart.",
  },
  order_never_ready: {
    message: "The order never reached a status the shop books (the mapping's readyStatuses) within the time a booking waits for it (details: orderStatus, readyStatuses, waitedHours), so its booking ended without booking anything.",
    fix: 'If the order should be booked, either set it to a ready status in the shop (its next delivery starts the booking again by itself), or add its status to readyStatuses with PUT /v1/mapping and then POST /v1/orders/:orderId/restart.',
  },
  refund_order_wait_expired: {
    message: "The refund waited for its order to be booked longer than a refund waits (details: orderId, orderStatus, waitedHours), so its booking ended without booking anything.",
    fix: 'Get the order booked first (GET /v1/orders/:orderId says why it is not; send it to POST /v1/webhooks/orders if it never arrived, or restart it with POST /v1/orders/:orderId/restart), then POST /v1/refunds/:refundId/restart.',
  },
  order_changed_after_booking: {
    message: 'The order changed its amounts after it was booked.',
    fix: 'Book a credit note or correction in the ledger by hand; the booked invoice is not changed automatically.',
  },
  order_cancelled_after_booking: {
    message: 'The order was cancelled in the shop after its invoice was booked, and the refunds booked so far do not credit all of it (details: bookedTotal, refunded, open).',
    fix: 'Refund the open amount in the shop (or send the refund to POST /v1/webhooks/refunds): its credit note is booked and the order ends as cancelled by itself. Otherwise book a credit note for the open amount in the ledger by hand.',
  },
  channel_api_missing: {
    message: "The shop's store API is not connected, so its history cannot be fetched.",
    fix: 'Save the store URL and REST keys with PUT /v1/channel, then start the backfill again.',
  },
  channel_credentials_rejected: {
    message: 'The store rejected our REST API keys.',
    fix: 'Create new read-only REST keys in the store admin, save them with PUT /v1/channel, then start the backfill again.',
  },
  channel_request_rejected: {
    message: 'The store refused a request for its orders or refunds.',
    fix: 'Check the details for what the store answered; start the backfill again once it is fixed.',
  },
  channel_rate_limited: {
    message: 'The store asked us to slow down.',
    fix: 'Nothing to do: the request is tried again after the wait the store named. If it keeps happening, other apps may be using up the same API limit.',
  },
  channel_not_found: {
    message: 'The store no longer has the order or refund we asked for.',
    fix: 'Check the order in the store admin; a refund that was paid out must then be booked by hand. The reason is listed in GET /v1/channel/events.',
  },
  channel_payload_rejected: {
    message: 'The store answered with an order or refund that does not map to a booking.',
    fix: 'The reason and the raw answer are listed in GET /v1/channel/events; fix the order in the store (or the mapping with PUT /v1/mapping) and the next update of the order tries again.',
  },
  order_not_received: {
    message: 'A refund was announced for an order the store never sent us.',
    fix: 'Start a backfill over the order date with POST /v1/backfill, or have the store send the order again.',
  },
  channel_refund_failed: {
    message: 'A refund the store only named could not be fetched.',
    fix: 'The reason is listed in GET /v1/channel/events; the order\'s next update in the store tries again.',
  },
  channel_unreachable: {
    message: 'The store did not answer, even after repeated retries.',
    fix: 'Check that the store is online; start the backfill again — it registers nothing twice.',
  },
  acquirer_credentials_rejected: {
    message: 'The acquirer rejected our API key.',
    fix: 'Create a new (restricted, read-only) API key at the acquirer and save it on the acquirer connection.',
  },
  payout_not_itemizable: {
    message: 'The acquirer cannot list the transactions of this payout (e.g. a Stripe manual payout).',
    fix: 'Book this payout by hand, or switch the acquirer account to automatic payouts.',
  },
  payout_unknown_entry_type: {
    message: 'The acquirer reported an entry of a type we do not know, so the payout cannot be booked without a guess.',
    fix: "The details name each unknown type and the entry it is on. Book this payout by hand from the acquirer's report, and tell your ledgerbridge operator the type so it can be mapped.",
  },
  unmapped_disputes_account: {
    message: 'The payout carries a chargeback (or a won dispute) on one of our payments, and the mapping names no disputes account for its acquirer.',
    fix: 'Add the acquirer\'s disputes account to the mapping (acquirers.<acquirer>.disputes, e.g. {"acquirers":{"nets":{"disputes":"5830"}}}) with PUT /v1/mapping, then restart the payout: POST /v1/payouts/restart.',
  },
  payout_unbalanced: {
    message: "The payout's lines, fees and the amount paid out do not add up.",
    fix: 'Compare the payout in the acquirer with its lines; the details say which amounts disagree.',
  },
  invalid_snapshot: {
    message: 'The order or refund this booking received does not pass the API\'s checks (details: subject, and per issue the field and what is wrong): it was signalled to Temporal past the API, or stored before a check was added. Nothing was booked.',
    fix: 'Send the order to POST /v1/webhooks/orders (a refund to POST /v1/webhooks/refunds), which says what is wrong with it, then restart: POST /v1/orders/:orderId/restart or /v1/refunds/:refundId/restart.',
  },
} as const satisfies Record<string, { message: string; fix: string }>;

export type ErrorCode = keyof typeof errorCatalog;
export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

/** A business error: not retried; the booking stops in `failed` with this code until restarted. */
export class BookingError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${errorCatalog[code].message}`);
    this.name = 'BookingError';
  }
}

export function describeError(code: string): { message: string; fix: string } {
  return (errorCatalog as Record<string, { message: string; fix: string }>)[code] ?? {
    message: `Unknown error ${code}.`,
    fix: 'Look at the workflow history in the Temporal Web UI for details.',
  };
}
