import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { bookingEvents, orders, payouts, refunds } from '../db/schema';
import type { StatusUpdate } from '../workflows/definitions';

export type { StatusUpdate };

/** Mirrors a booking's state into the database (what the API shows) and appends it to the timeline. */
export function statusActivities(db: Db) {
  return {
    async recordBookingStatus(u: StatusUpdate): Promise<void> {
      const common = { status: u.status, errorCode: u.error?.code ?? null, errorDetails: u.error?.details ?? null, updatedAt: new Date() };
      await db.transaction(async (tx) => {
        if (u.subject === 'order') {
          await tx
            .update(orders)
            .set({
              ...common,
              invoiceVoucherNumber: u.documents.invoice ?? null,
              paymentVoucherNumber: u.documents.payment ?? null,
            })
            .where(and(eq(orders.shopId, u.shopId), eq(orders.orderId, u.subjectId)));
        } else if (u.subject === 'payout') {
          // Payout subjects are "<connection>/<payout id>".
          const slash = u.subjectId.indexOf('/');
          await tx
            .update(payouts)
            .set({ ...common, voucherNumber: u.documents.payout ?? null })
            .where(and(eq(payouts.connectionId, u.subjectId.slice(0, slash)), eq(payouts.payoutId, u.subjectId.slice(slash + 1))));
        } else {
          await tx
            .update(refunds)
            .set({
              ...common,
              creditNoteVoucherNumber: u.documents.credit_note ?? null,
              refundPaymentVoucherNumber: u.documents.refund_payment ?? null,
            })
            .where(and(eq(refunds.shopId, u.shopId), eq(refunds.refundId, u.subjectId)));
        }
        // A step is shown once: a retried write (its first answer lost under load) or a state set again with the
        // same reason adds nothing. The row update above locks the booking, so two writers cannot both miss it.
        const [last] = await tx
          .select({ status: bookingEvents.status, reason: bookingEvents.reason })
          .from(bookingEvents)
          .where(and(eq(bookingEvents.shopId, u.shopId), eq(bookingEvents.subject, u.subject), eq(bookingEvents.subjectId, u.subjectId)))
          .orderBy(desc(bookingEvents.id))
          .limit(1);
        if (last && last.status === u.status && last.reason === u.reason) return;
        await tx.insert(bookingEvents).values({
          shopId: u.shopId,
          subject: u.subject,
          subjectId: u.subjectId,
          status: u.status,
          reason: u.reason,
        });
      });
    },
  };
}
