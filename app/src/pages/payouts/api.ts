/**
 * The payouts pages' view of the API (src/api/routes/payouts.ts and payout-details.ts): types, query keys and the
 * states grouped the way a person filters them.
 */
export interface PayoutError {
  code: string;
  message: string;
  fix: string;
  details: unknown;
}

export interface PayoutRow {
  connectionId: string;
  payoutId: string;
  acquirer: string;
  status: string;
  currency: string;
  paidOutAt: string;
  netAmount: number;
  voucherNumber: string | null;
  voucherState: string | null;
  error: PayoutError | null;
  updatedAt: string;
}

export interface PayoutPage {
  payouts: PayoutRow[];
  nextCursor: string | null;
}

export interface AcquirerConnection {
  connectionId: string;
  acquirer: string;
  source: string;
  takesFiles: boolean;
  csvMappingSaved: boolean;
  createdAt: string;
}

export type LineDestination = 'receivable' | 'disputes' | 'fees' | 'error_account' | 'not_planned';

export interface PayoutLineRow {
  lineNo: number;
  type: string;
  date: string;
  amount: number;
  fee: number;
  currency: string;
  transactionId: string | null;
  orderReference: string | null;
  paymentMethod: string | null;
  description: string | null;
  destination: LineDestination;
  rule: string | null;
  settles: { kind: 'payment' | 'refund_payment'; reference: string; orderId: string | null; orderNumber: string | null } | null;
  disputes: { orderId: string; orderNumber: string | null } | null;
  reason: string | null;
}

export interface PayoutLines {
  currency: string;
  totals: {
    gross: number;
    fees: number;
    net: number;
    lines: number;
    settled: number;
    settledAmount: number;
    errorAccount: number;
    errorAccountAmount: number;
    disputes: number;
    disputesAmount: number;
  };
  accounts: { bank: string; fee: string; error: string; disputes: string | null } | null;
  matched: boolean;
  errorLines: { lineNo: number; amount: number; reason: string }[];
  lines: PayoutLineRow[];
  nextCursor: string | null;
}

/** An error's message with the specific reason the booking gave, when it gave one ("no exchange rate for this payout"). */
export function errorText(error: PayoutError): string {
  const reason = typeof error.details === 'object' && error.details !== null ? (error.details as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' && reason !== '' ? `${error.message.replace(/\.$/, '')}: ${reason}.` : error.message;
}

/** What a person filters by, and the API states behind each choice. */
export const stateFilters = {
  all: undefined,
  booked: 'booked',
  waiting: 'waiting,queued,posting,quota_blocked',
  failed: 'failed',
  registered: 'registered',
} as const;
export type StateFilter = keyof typeof stateFilters;
export const isStateFilter = (value: string | null): value is StateFilter => value !== null && value in stateFilters;

/** States that change by themselves: while one is on screen, the page asks again. */
export const unfinished = (status: string) => ['waiting', 'queued', 'posting', 'received'].includes(status);
/** How often a page with an unfinished payout or upload asks again. */
export const refreshMs = 2_000;

export const payoutKeys = {
  all: (shopId: string) => ['shop', shopId, 'payouts'] as const,
  list: (shopId: string, state: StateFilter, cursor: string | null) => ['shop', shopId, 'payouts', 'list', state, cursor] as const,
  one: (shopId: string, connectionId: string, payoutId: string) => ['shop', shopId, 'payouts', 'one', connectionId, payoutId] as const,
  lines: (shopId: string, connectionId: string, payoutId: string, cursor: string | null) => ['shop', shopId, 'payouts', 'one', connectionId, payoutId, 'lines', cursor] as const,
  acquirers: (shopId: string) => ['shop', shopId, 'acquirers'] as const,
  upload: (shopId: string, statusPath: string) => ['shop', shopId, 'settlement-upload', statusPath] as const,
};

export const payoutPath = (p: { connectionId: string; payoutId: string }) => `/payouts/${encodeURIComponent(p.connectionId)}/${encodeURIComponent(p.payoutId)}`;
export const payoutApiPath = (connectionId: string, payoutId: string) => `/v1/payouts/${encodeURIComponent(connectionId)}/${encodeURIComponent(payoutId)}`;
