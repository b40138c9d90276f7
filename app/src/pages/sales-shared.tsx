import { useTranslation } from 'react-i18next';
import { StateLabel } from '../components/StateLabel';

/** What GET /v1/orders and GET /v1/refunds answer per item (src/api/routes/orders.ts). */
export interface Failure {
  code: string;
  message: string;
  fix: string;
}
type DocumentState = 'draft' | 'booked' | 'in_journal' | null;
export interface OrderView {
  orderId: string;
  orderNumber: string;
  status: string;
  orderStatus: string;
  orderedAt: string;
  currency: string;
  total: number;
  documents: { invoice: string | null; payment: string | null };
  documentStates: { invoice: DocumentState; payment: DocumentState };
  error: Failure | null;
  updatedAt: string;
}
export interface RefundView {
  refundId: string;
  orderId: string;
  orderNumber: string | null;
  refundedAt: string;
  status: string;
  currency: string;
  amount: number;
  documents: { creditNote: string | null; refundPayment: string | null };
  documentStates: { creditNote: DocumentState; refundPayment: DocumentState };
  error: Failure | null;
  waitingFor: Failure | null;
  updatedAt: string;
}
export interface TimelineEvent {
  at: string;
  status: string;
  reason: string | null;
}

export type Kind = 'orders' | 'refunds';

/** An order or a refund as one row of the sales table and one head of the order page. */
export interface Sale {
  kind: Kind;
  id: string;
  orderId: string;
  orderNumber: string | null;
  date: string;
  status: string;
  currency: string;
  amount: number;
  documents: { label: 'invoice' | 'payment' | 'creditNote' | 'refundPayment'; number: string | null; state: DocumentState }[];
  error: Failure | null;
  waitingFor: Failure | null;
  updatedAt: string;
}

export function fromOrder(o: OrderView): Sale {
  return {
    kind: 'orders',
    id: o.orderId,
    orderId: o.orderId,
    orderNumber: o.orderNumber,
    date: o.orderedAt,
    status: o.status,
    currency: o.currency,
    amount: o.total,
    documents: [
      { label: 'invoice', number: o.documents.invoice, state: o.documentStates.invoice },
      { label: 'payment', number: o.documents.payment, state: o.documentStates.payment },
    ],
    error: o.error,
    waitingFor: null,
    updatedAt: o.updatedAt,
  };
}

export function fromRefund(r: RefundView): Sale {
  return {
    kind: 'refunds',
    id: r.refundId,
    orderId: r.orderId,
    orderNumber: r.orderNumber,
    date: r.refundedAt,
    status: r.status,
    currency: r.currency,
    amount: r.amount,
    documents: [
      { label: 'creditNote', number: r.documents.creditNote, state: r.documentStates.creditNote },
      { label: 'refundPayment', number: r.documents.refundPayment, state: r.documentStates.refundPayment },
    ],
    error: r.error,
    waitingFor: r.waitingFor,
    updatedAt: r.updatedAt,
  };
}

/**
 * States that change by themselves soon (the ledger's queue works them off): while one is on screen the page asks
 * again every few seconds, so a person sees it turn booked without reloading. Waiting and quota-blocked bookings wait
 * for the shop or the month, so they are asked after less often.
 */
const moving = new Set(['queued', 'posting']);
const resting = new Set(['waiting', 'quota_blocked']);
export function refreshEvery(statuses: string[]): number | false {
  if (statuses.some((s) => moving.has(s))) return 2_000;
  if (statuses.some((s) => resting.has(s))) return 10_000;
  return false;
}

/** The state of a sale with what a person needs next to it: the fix of a failure, what it waits for, its vouchers. */
export function SaleState({ sale, compact = false, withError = true }: { sale: Sale; compact?: boolean; withError?: boolean }) {
  const { t } = useTranslation('sales');
  const vouchers = sale.documents.filter((d) => d.number);
  return (
    <div className="sale-state">
      <StateLabel status={sale.status} since={sale.updatedAt} />
      {withError && sale.error && (
        <p className="sale-fix">
          {!compact && <strong>{sale.error.message} </strong>}
          {sale.error.fix}
        </p>
      )}
      {sale.waitingFor && <p className="sale-fix">{sale.waitingFor.message}</p>}
      {vouchers.length > 0 && (
        <p className="sale-vouchers">{vouchers.map((d) => t('voucher', { document: t(`document.${d.label}`), number: d.number })).join(' · ')}</p>
      )}
    </div>
  );
}
