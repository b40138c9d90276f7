import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const money = (name: string) => bigint(name, { mode: 'number' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A business that owns shops; its people sign in to the web app (docs/APP.md). */
export const merchants = pgTable('merchants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/** A webshop using ledgerbridge. Its API key is stored only as a SHA-256 hash. */
export const shops = pgTable(
  'shops',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** The merchant whose people see the shop; null for a shop only its API key reaches (and operators). */
    merchantId: text('merchant_id').references(() => merchants.id),
    apiKeyHash: text('api_key_hash').notNull().unique(),
    /** Secret for signed webhooks (HMAC), sealed with CREDENTIALS_KEY; shown once when created or rotated. */
    webhookSecret: text('webhook_secret'),
    /** The shop's booking mapping (domain/mapping.ts); null until the shop saves one. */
    mapping: jsonb('mapping'),
    /**
     * automatic: orders, refunds and payouts are posted as they arrive. held: they are registered and wait until the
     * owner activates automatic transfer (a shop onboarding with its history starts held).
     */
    transfer: text('transfer').notNull().default('automatic'),
    /** When the owner activated automatic transfer; null while held (or for shops created automatic). */
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    /** The ledger (accounting company) the shop books into; several shops of a merchant may share one. */
    ledgerId: text('ledger_id').references((): AnyPgColumn => ledgers.id),
    /**
     * Put before the shop's order and refund ids in its ledger (domain/ledger-reference.ts), so two shops' order
     * #1001 never meet there. Null for the shop that had the ledger first: its references stay as they always were.
     */
    referencePrefix: text('reference_prefix'),
    createdAt: createdAt(),
  },
  (t) => [
    // A person's shops (GET /v1/shops, the session's answer) and the operator's merchant list look shops up by merchant.
    index('shops_merchant').on(t.merchantId),
    uniqueIndex('shops_ledger_reference_prefix').on(t.ledgerId, t.referencePrefix),
  ],
);

/**
 * An accounting company (e-conomic agreement, Billy organization, Fiken company, Dinero organization, Uni company, or
 * our local journal) a merchant's shops book into. Several shops may share one; postings are serialized per ledger.
 */
export const ledgers = pgTable(
  'ledgers',
  {
    id: text('id').primaryKey(),
    /** The merchant that owns it; null for the ledger of a shop that belongs to no merchant (it is that shop's alone). */
    merchantId: text('merchant_id').references(() => merchants.id),
    /**
     * The company's identity in its system (src/adapters/ledgers/company.ts): unique per merchant and system, so a second
     * shop connecting the same company joins this ledger and its queue. Null where it is not known (see the migration).
     */
    company: text('company'),
    /** local | e-conomic | billy | fiken | dinero | uni-economy */
    system: text('system').notNull(),
    currency: text('currency').notNull(),
    /** draft: invoices are left as drafts for review; auto: booked on creation. */
    mode: text('mode').notNull().default('draft'),
    /** Postings allowed per calendar month; null = unlimited. */
    monthlyQuota: integer('monthly_quota'),
    /** Nothing before this date is ever posted. */
    startDate: date('start_date', { mode: 'string' }).notNull(),
    /** Length of the draft trial before graduation to auto-post. */
    trialSeconds: integer('trial_seconds').notNull().default(14 * 86_400),
    /** API secrets of the ledger system, sealed with CREDENTIALS_KEY and bound to this ledger's id. */
    credentials: text('credentials'),
    /** Where documents go in the ledger system (journal, products, VAT types …): see adapters/ledgers/connection.ts. */
    settings: jsonb('settings'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('ledgers_merchant_company').on(t.merchantId, t.system, t.company)],
);

// ---------------------------------------------------------------------------------------------------------------
// The local ledger: a real double-entry journal. Other ledger systems keep their own books.

export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    ledgerId: text('ledger_id')
      .notNull()
      .references(() => ledgers.id),
    number: text('number').notNull(),
    name: text('name').notNull(),
    /** balance (assets, liabilities) or result (income, expenses) */
    type: text('type').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ledgerId, t.number] })],
);

export const ledgerVatCodes = pgTable(
  'ledger_vat_codes',
  {
    ledgerId: text('ledger_id')
      .notNull()
      .references(() => ledgers.id),
    code: text('code').notNull(),
    /** Percent as written ("25", "12.5"). */
    rate: text('rate').notNull(),
    /** The output VAT account the code's VAT books to; null on codes made before codes named one. */
    account: text('account'),
  },
  (t) => [primaryKey({ columns: [t.ledgerId, t.code] })],
);

/**
 * A local ledger's counters, one row per ledger: gapless voucher numbers, bumped in the transaction that books a
 * voucher, and the document numbers its drafts are known by (`draft:3`), so a new ledger starts at 1 for both.
 */
export const ledgerCounters = pgTable('ledger_counters', {
  ledgerId: text('ledger_id')
    .primaryKey()
    .references(() => ledgers.id),
  lastVoucherNumber: integer('last_voucher_number').notNull().default(0),
  lastDocumentNumber: integer('last_document_number').notNull().default(0),
});

export const vouchers = pgTable(
  'vouchers',
  {
    id: serial('id').primaryKey(),
    ledgerId: text('ledger_id')
      .notNull()
      .references(() => ledgers.id),
    /** Assigned when booked; drafts have none. Gapless per ledger. */
    number: integer('number'),
    /** The ledger's own id of the document (drafts and booked alike), counted per ledger (ledger_counters). */
    documentNumber: integer('document_number').notNull(),
    /** invoice | payment | credit_note | refund_payment | payout */
    kind: text('kind').notNull(),
    /** Our external reference (order id, refund id, payout id). */
    reference: text('reference').notNull(),
    state: text('state').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
    bookedAt: timestamp('booked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('vouchers_ledger_kind_reference').on(t.ledgerId, t.kind, t.reference),
    uniqueIndex('vouchers_ledger_number').on(t.ledgerId, t.number),
    uniqueIndex('vouchers_ledger_document_number').on(t.ledgerId, t.documentNumber),
    check('vouchers_booked_has_number', sql`(${t.state} = 'booked') = (${t.number} IS NOT NULL)`),
  ],
);

export const voucherLines = pgTable(
  'voucher_lines',
  {
    id: serial('id').primaryKey(),
    voucherId: integer('voucher_id')
      .notNull()
      .references(() => vouchers.id),
    ledgerId: text('ledger_id').notNull(),
    account: text('account').notNull(),
    /** Minor units; > 0 debit, < 0 credit. A deferred trigger checks each voucher sums to 0. */
    amount: money('amount').notNull(),
    text: text('text').notNull(),
    vatCode: text('vat_code'),
  },
  (t) => [index('voucher_lines_voucher').on(t.voucherId), index('voucher_lines_ledger_account').on(t.ledgerId, t.account)],
);

// ---------------------------------------------------------------------------------------------------------------
// Bookings: our own record of what was posted where, for every ledger system.

/** Exactly once: one row per document we posted, keyed by (ledger, kind, reference). */
export const postings = pgTable(
  'postings',
  {
    ledgerId: text('ledger_id').notNull(),
    kind: text('kind').notNull(),
    reference: text('reference').notNull(),
    /** The ledger's own id of the document. */
    documentId: text('document_id').notNull(),
    voucherNumber: text('voucher_number'),
    state: text('state').notNull(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    /** For payments and refund payments: which acquirer holds the claim, and how a payout finds it again. */
    acquirer: text('acquirer'),
    receivableAccount: text('receivable_account'),
    transactionId: text('transaction_id'),
    orderId: text('order_id'),
    orderNumber: text('order_number'),
    documentDate: date('document_date', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ledgerId, t.kind, t.reference] }),
    index('postings_ledger_acquirer').on(t.ledgerId, t.acquirer),
  ],
);

/**
 * A write we are about to send to a ledger, noted before it goes out. Without a note no earlier attempt can have
 * reached the ledger, so the first attempt skips the look-up by reference that guards against lost answers.
 */
export const postingAttempts = pgTable(
  'posting_attempts',
  {
    ledgerId: text('ledger_id').notNull(),
    kind: text('kind').notNull(),
    reference: text('reference').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ledgerId, t.kind, t.reference] })],
);

/**
 * Postings waiting in a ledger's queue: the ledger workflow orders them by request id only, so its history and what
 * it carries over continue-as-new stay small however long the queue grows; the batch reads the work from here.
 */
export const postingRequests = pgTable(
  'posting_requests',
  {
    requestId: text('request_id').primaryKey(),
    ledgerId: text('ledger_id').notNull(),
    /** What to post: workflows/definitions.ts PostingWork. */
    work: jsonb('work').notNull(),
    /** The booking that waits for this posting (its outcome is signalled there). */
    holderWorkflowId: text('holder_workflow_id'),
    /**
     * What the ledger's batch made of it (workflows/definitions.ts PostingOutcome), written before the outcome is
     * signalled: null while the request is pending. A booking that heard nothing for a while reads it here.
     */
    outcome: jsonb('outcome'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    /**
     * Which take of the ledger workflow queued it (`<runId>/<take>`, src/services/posting/wakeup.ts): a take does not
     * hand the same request twice, and its retry hands the same ones again. Null until a take finds it.
     */
    takenIn: text('taken_in'),
    createdAt: createdAt(),
  },
  (t) => [index('posting_requests_ledger').on(t.ledgerId), index('posting_requests_pending').on(t.ledgerId, t.createdAt).where(sql`${t.outcome} is null`)],
);

/**
 * Whether a ledger workflow (by its lock id: the ledger's id, or `all-ledgers` for the global queue) will read
 * posting_requests again by itself. A posting signals its ledger only when it is not awake, so a burst costs a
 * signal per wake-up instead of one per posting (src/services/posting/wakeup.ts has the protocol and why no
 * wake-up is lost).
 */
export const ledgerWakeups = pgTable('ledger_wakeups', {
  lockId: text('lock_id').primaryKey(),
  /** Awake until then: the ledger renews it each time it takes requests; a run that died lets it run out. Null: asleep. */
  awakeUntil: timestamp('awake_until', { withTimezone: true }),
  /**
   * The request whose posting turned the marker awake and signals the ledger, until the ledger's next take: that
   * posting's retry (its worker died before the signal went out) signals again instead of finding the ledger "awake".
   */
  wokenBy: text('woken_by'),
});

/** The state of each order as the API shows it; written by the order workflow at every transition. */
export const orders = pgTable(
  'orders',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    orderId: text('order_id').notNull(),
    orderNumber: text('order_number').notNull(),
    ledgerId: text('ledger_id').notNull(),
    /** waiting | queued | quota_blocked | posting | drafted | booked | failed | needs_correction */
    status: text('status').notNull(),
    errorCode: text('error_code'),
    errorDetails: jsonb('error_details'),
    currency: text('currency').notNull(),
    total: money('total').notNull(),
    orderStatus: text('order_status').notNull(),
    /** The latest canonical order the shop sent (domain/order.ts). */
    snapshot: jsonb('snapshot').notNull(),
    /** The channel's own id of each canonical line (Shopify/WooCommerce), to place the lines of its refunds. */
    channelLineRefs: jsonb('channel_line_refs'),
    /** Registered by a history backfill: posted only when the owner marks it for transfer. */
    historical: boolean('historical').notNull().default(false),
    invoiceVoucherNumber: text('invoice_voucher_number'),
    paymentVoucherNumber: text('payment_voucher_number'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.orderId] }),
    index('orders_shop_status').on(t.shopId, t.status),
    index('orders_shop_error').on(t.shopId, t.errorCode),
    // The sales list, newest first by the order's date in the shop (src/services/sales.ts sorts on this expression).
    index('orders_shop_ordered_at').on(t.shopId, sql`(${t.snapshot}->>'createdAt')`, t.orderId),
  ],
);

/** Every state change of an order, refund or payout with its time and reason. */
export const bookingEvents = pgTable(
  'booking_events',
  {
    id: serial('id').primaryKey(),
    shopId: text('shop_id').notNull(),
    /** order | refund | payout */
    subject: text('subject').notNull(),
    subjectId: text('subject_id').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('booking_events_subject').on(t.shopId, t.subject, t.subjectId)],
);

export const refunds = pgTable(
  'refunds',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    refundId: text('refund_id').notNull(),
    orderId: text('order_id').notNull(),
    ledgerId: text('ledger_id').notNull(),
    status: text('status').notNull(),
    errorCode: text('error_code'),
    errorDetails: jsonb('error_details'),
    currency: text('currency').notNull(),
    amount: money('amount').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    creditNoteVoucherNumber: text('credit_note_voucher_number'),
    refundPaymentVoucherNumber: text('refund_payment_voucher_number'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.refundId] }),
    index('refunds_shop_order').on(t.shopId, t.orderId),
    index('refunds_shop_refunded_at').on(t.shopId, sql`(${t.snapshot}->>'createdAt')`, t.refundId),
  ],
);


// ---------------------------------------------------------------------------------------------------------------
// Payouts: what acquirers paid out, matched against the payments they settle.

/** A shop's account with an acquirer (Stripe) or a source of settlement files (Nets, Adyen, QuickPay, Vipps …). */
export const acquirerConnections = pgTable('acquirer_connections', {
  id: text('id').primaryKey(),
  shopId: text('shop_id')
    .notNull()
    .references(() => shops.id),
  /** The acquirer name used in the mapping's paymentMethods (e.g. nets, stripe). */
  acquirer: text('acquirer').notNull(),
  /** stripe | nets | adyen | quickpay | vipps | generic */
  source: text('source').notNull(),
  /** Encrypted API credentials (Stripe secret key); never leaves the activities. */
  credentials: text('credentials'),
  /** Column mapping for generic CSV settlement files. */
  csvMapping: jsonb('csv_mapping'),
  createdAt: createdAt(),
});

export const payouts = pgTable(
  'payouts',
  {
    connectionId: text('connection_id')
      .notNull()
      .references(() => acquirerConnections.id),
    payoutId: text('payout_id').notNull(),
    shopId: text('shop_id').notNull(),
    ledgerId: text('ledger_id').notNull(),
    acquirer: text('acquirer').notNull(),
    currency: text('currency').notNull(),
    paidOutAt: date('paid_out_at', { mode: 'string' }).notNull(),
    netAmount: money('net_amount').notNull(),
    /** The canonical payout (domain/payout.ts) with its lines. */
    payout: jsonb('payout').notNull(),
    /** waiting | queued | posting | booked | failed | … as for orders */
    status: text('status').notNull(),
    errorCode: text('error_code'),
    errorDetails: jsonb('error_details'),
    /** Each line's match: the document it settles and the rule that matched it, or why it did not. */
    matches: jsonb('matches'),
    /** The lines page's totals (PayoutLineTotals, src/services/payout-lines.ts), counted when payout_lines is written. */
    lineTotals: jsonb('line_totals'),
    voucherNumber: text('voucher_number'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.payoutId] }), index('payouts_shop_status').on(t.shopId, t.status)],
);

/**
 * A payout's lines as its page shows them, with each line's match once matched: the page reads a page of rows and
 * counts with SQL instead of parsing the whole payout (200,000 lines) on every request. Written with the payout
 * (unmatched) and again where planning stores the matches; payouts.payout and payouts.matches stay the source.
 */
export const payoutLines = pgTable(
  'payout_lines',
  {
    connectionId: text('connection_id').notNull(),
    payoutId: text('payout_id').notNull(),
    /** The payout's shop, as in payouts: whose rows these are. */
    shopId: text('shop_id').notNull(),
    lineNo: integer('line_no').notNull(),
    type: text('type').notNull(),
    /** YYYY-MM-DD as the acquirer reported it. */
    date: text('date').notNull(),
    amount: money('amount').notNull(),
    fee: money('fee').notNull(),
    currency: text('currency').notNull(),
    transactionId: text('transaction_id'),
    orderReference: text('order_reference'),
    paymentMethod: text('payment_method'),
    description: text('description'),
    /** receivable | disputes | fees | error_account | not_planned (src/services/payout-lines.ts). */
    destination: text('destination').notNull(),
    /** The matching rule; null until the payout is matched. */
    rule: text('rule'),
    /** payment | refund_payment: the document the line settles. */
    settlesKind: text('settles_kind'),
    settlesReference: text('settles_reference'),
    settlesOrderNumber: text('settles_order_number'),
    /** A chargeback or its reversal: the order whose payment it disputes. */
    disputesReference: text('disputes_reference'),
    disputesOrderNumber: text('disputes_order_number'),
    reason: text('reason'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.payoutId, t.lineNo] }),
    // The first error-account lines, in line order, without reading the others.
    index('payout_lines_destination').on(t.connectionId, t.payoutId, t.destination, t.lineNo),
  ],
);

/**
 * A payout's planned vouchers, one row per part (PAYOUT_MAX_VOUCHER_LINES lines at most): the plan of an 800,000-line
 * payout is far above Temporal's payload limit, so the workflow passes (payout, part) and the activities read it here.
 */
export const payoutPlanParts = pgTable(
  'payout_plan_parts',
  {
    connectionId: text('connection_id').notNull(),
    payoutId: text('payout_id').notNull(),
    /** 1-based; the last part carries the bank line and is posted under the payout's own reference. */
    part: integer('part').notNull(),
    parts: integer('parts').notNull(),
    /** The voucher of this part (domain/posting.ts Voucher). */
    voucher: jsonb('voucher').notNull(),
    /** What this part settles: [{ kind, reference, lineNo, rule, amount }]. */
    settles: jsonb('settles').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.payoutId, t.part] })],
);

/**
 * A settlement file as uploaded: stored first and answered 202, then read as a stream by an activity
 * (activities/settlement-uploads.ts), so a large file never holds the API's event loop.
 */
export const settlementUploads = pgTable(
  'settlement_uploads',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id').notNull(),
    connectionId: text('connection_id')
      .notNull()
      .references(() => acquirerConnections.id),
    /** SHA-256 of the file: the same file uploaded again answers with the upload that has it. */
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    content: text('content').notNull(),
    /** received | parsing | done | refused */
    status: text('status').notNull(),
    /** Rows read so far, for the status route's progress. */
    linesRead: integer('lines_read').notNull().default(0),
    /** done: { workflowIds, new, payouts }. */
    result: jsonb('result'),
    /** refused: { line, reason }. */
    error: jsonb('error'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('settlement_uploads_connection_sha').on(t.connectionId, t.sha256)],
);

/** Which payout settled which payment: one row per payment, so no payment is ever settled twice. */
export const settlements = pgTable(
  'settlements',
  {
    ledgerId: text('ledger_id').notNull(),
    /** payment | refund_payment */
    kind: text('kind').notNull(),
    reference: text('reference').notNull(),
    connectionId: text('connection_id').notNull(),
    payoutId: text('payout_id').notNull(),
    lineNo: integer('line_no').notNull(),
    rule: text('rule').notNull(),
    amount: money('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.ledgerId, t.kind, t.reference] }), index('settlements_payout').on(t.connectionId, t.payoutId)],
);

/** A POST with an Idempotency-Key answers the same again for 24 hours instead of doing the work twice. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    shopId: text('shop_id').notNull(),
    key: text('key').notNull(),
    /** Method, path and a hash of the body: the same key with another request is refused. */
    fingerprint: text('fingerprint').notNull(),
    statusCode: integer('status_code').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.key] })],
);

// ---------------------------------------------------------------------------------------------------------------
// Sales channels: signed webhooks from Shopify and WooCommerce, kept raw for audit.

export const channelConnections = pgTable('channel_connections', {
  shopId: text('shop_id')
    .primaryKey()
    .references(() => shops.id),
  /** shopify | woocommerce */
  platform: text('platform').notNull(),
  /** The app's / webhook's signing secret, sealed with CREDENTIALS_KEY. */
  secret: text('secret').notNull(),
  /** The store's base URL for its REST API (https://<shop>.myshopify.com, https://shop.example); null = webhooks only. */
  storeUrl: text('store_url'),
  /** REST API keys (Shopify access token; WooCommerce consumer key and secret) as sealed JSON; never returned. */
  apiCredentials: text('api_credentials'),
  createdAt: createdAt(),
});

export const channelEvents = pgTable(
  'channel_events',
  {
    id: serial('id').primaryKey(),
    shopId: text('shop_id').notNull(),
    platform: text('platform').notNull(),
    /** The channel's delivery id: a delivery seen before is acknowledged and dropped. */
    eventId: text('event_id').notNull(),
    /** The platform's id of this delivery (X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-ID), when it sent one. */
    deliveryId: text('delivery_id'),
    topic: text('topic').notNull(),
    body: text('body').notNull(),
    /** accepted | ignored | rejected (the payload did not map; reason says where and why) */
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channel_events_shop_event').on(t.shopId, t.eventId), index('channel_events_shop_outcome').on(t.shopId, t.outcome)],
);

/**
 * The outbox between a webhook and Temporal (README "How intake works"): a delivery is answered once its hand-offs
 * are stored here, in the transaction that stores the delivery; the relay (src/services/intake-relay.ts) then signals
 * them to Temporal, an order's hand-offs one at a time, oldest first, and deletes each once Temporal has it.
 */
export const intakeHandoffs = pgTable(
  'intake_handoffs',
  {
    /** Per order, the order in which the deliveries were stored (the door serialises an order's writers). */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    shopId: text('shop_id').notNull(),
    /** The order it belongs to, also for a refund: its hand-offs are handed over one at a time, oldest first. */
    orderId: text('order_id').notNull(),
    /** The task queue of the API that took the delivery: the relay of that queue's workers hands it over. */
    taskQueue: text('task_queue').notNull(),
    /** order | refund | refund_fetch */
    kind: text('kind').notNull(),
    /** What the signal carries (a snapshot, or the refund to fetch); see src/services/intake-handoffs.ts. */
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** A failed hand-off waits until then (backoff), and its order's later ones behind it. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Taken by a relay until then; a relay that died lets it go when this passes. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    /** Why the last attempt failed (Temporal's error message; no payload). */
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [index('intake_handoffs_queue_order').on(t.taskQueue, t.shopId, t.orderId, t.id), index('intake_handoffs_shop').on(t.shopId, t.createdAt)],
);

/** A shop's history backfill: what it has fetched so far, so the API can show progress while the workflow runs. */
export const backfills = pgTable('backfills', {
  shopId: text('shop_id')
    .primaryKey()
    .references(() => shops.id),
  /** Orders created on or after this date are fetched (the ledger's start date unless given). */
  since: date('since', { mode: 'string' }).notNull(),
  /** running | completed | failed */
  status: text('status').notNull(),
  /** channel | acquirers | done: the step it is at. */
  phase: text('phase').notNull(),
  pages: integer('pages').notNull().default(0),
  orders: integer('orders').notNull().default(0),
  refunds: integer('refunds').notNull().default(0),
  payouts: integer('payouts').notNull().default(0),
  /** Orders the channel sent that did not map, with where and why (listed under /v1/channel/events). */
  rejected: integer('rejected').notNull().default(0),
  error: jsonb('error'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/**
 * Outbound request windows shared by every process (API and workers): the start times of the calls made to one
 * vendor account within its rate window, and a pause a 429 asked for. The key is a hash (no client id is stored).
 */
export const requestWindows = pgTable('request_windows', {
  key: text('key').primaryKey(),
  starts: timestamp('starts', { withTimezone: true, mode: 'string' }).array().notNull().default(sql`'{}'`),
  pausedUntil: timestamp('paused_until', { withTimezone: true, mode: 'string' }),
});

/**
 * Someone who signs in to the web app. Emails are stored lower-cased (one person per address). Operators belong to
 * no merchant; everyone else to exactly one. The password hash (argon2id, PHC string) is null until the person has
 * used a reset link.
 */
export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').references(() => merchants.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** owner | bookkeeper | viewer | operator */
    role: text('role').notNull(),
    passwordHash: text('password_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('people_email').on(t.email),
    index('people_merchant').on(t.merchantId),
    check('people_email_lower', sql`${t.email} = lower(${t.email})`),
    check('people_role', sql`${t.role} IN ('owner', 'bookkeeper', 'viewer', 'operator')`),
    check('people_operator_has_no_merchant', sql`(${t.role} = 'operator') = (${t.merchantId} IS NULL)`),
  ],
);

/**
 * A signed-in browser. Only a SHA-256 hash of the cookie's token is stored, so a copy of this table signs nobody in.
 * A session ends at expiresAt, or earlier when unused for the idle window (lastSeenAt); sign-out deletes the row.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** Sent back by the app in X-CSRF-Token on every state-changing call. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_person').on(t.personId)],
);

/** A reset link's token (as a SHA-256 hash): sets the person's password once, before expiresAt. */
export const passwordResets = pgTable(
  'password_resets',
  {
    tokenHash: text('token_hash').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('password_resets_person').on(t.personId)],
);

/**
 * Ids a ledger gave us that its API cannot look up by a filter (Billy's contacts have no documented search): kept so
 * a write does not read a whole list to find one record again. `key` is a hash of what identifies the record (a
 * customer's e-mail or name), never the personal data itself.
 */
export const ledgerRecordIds = pgTable(
  'ledger_record_ids',
  {
    ledgerId: text('ledger_id')
      .notNull()
      .references(() => ledgers.id),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    vendorId: text('vendor_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ledgerId, t.kind, t.key] })],
);
