import { describeError } from './errors';

export interface BookingDetailsInput {
  subject: 'order' | 'refund' | 'payout';
  subjectId: string;
  orderNumber?: string;
  shopId: string;
  status: string;
  error?: { code: string };
  /** Why it waits or what to know (shown when there is no error). */
  reason?: string;
  /** Voucher numbers by document kind. */
  documents?: Record<string, string | null>;
}

/**
 * What an operator reads on a booking's page in the Temporal Web UI (the workflow's current details, Markdown): what
 * it is, its state, and for a failure the catalog's message and fix; then its voucher numbers. Only catalog texts,
 * ids and numbers: nothing secret, nothing personal, no amounts.
 */
export function bookingDetails(b: BookingDetailsInput): string {
  const what = b.subject === 'order' && b.orderNumber ? `order ${b.orderNumber} (${b.subjectId})` : `${b.subject} ${b.subjectId}`;
  const lines = [`**${what}** of shop \`${b.shopId}\`: **${b.status}**`];
  if (b.error) {
    const { message, fix } = describeError(b.error.code);
    lines.push('', `Error \`${b.error.code}\`: ${message}`, '', `Fix: ${fix}`);
  } else if (b.reason) lines.push('', b.reason);
  const documents = Object.entries(b.documents ?? {}).filter(([, number]) => number);
  if (documents.length > 0) lines.push('', `Documents: ${documents.map(([kind, number]) => `${kind.replace('_', ' ')} ${number}`).join(', ')}`);
  return lines.join('\n');
}
