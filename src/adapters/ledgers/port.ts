import type { DocumentKind, DocumentState, InvoicePlan, PaymentPlan, PostedDocument, Voucher } from '../../domain/posting';

export type { DocumentState, PostedDocument };

export interface SetupNeeds {
  accounts: string[];
  vatCodes: string[];
  paymentTerms?: string[];
}

export interface SetupReport {
  missingAccounts: string[];
  missingVatCodes: string[];
  missingPaymentTerms: string[];
}

export interface AccountToCreate {
  number: string;
  name: string;
  /** balance: an asset/liability account (receivables); expense: fees, error, rounding */
  type: 'balance' | 'expense';
}

/**
 * What the owner picks from when filling the mapping (the app's dropdowns): the ledger's accounts, and the VAT codes
 * the mapping may name here — for a vendor ledger, our codes its connection settings translate (Fiken's vatTypes,
 * Dinero's and Uni's vatCodes, Billy's taxRates) or the vendor's own codes where the adapter uses them as they are.
 */
export interface ChartOfAccounts {
  accounts: { number: string; name: string | null }[];
  vatCodes: { code: string; rate: number | null; name: string | null }[];
  /** createAccounts adds missing accounts in this ledger; false: a person creates them in the ledger system. */
  createsAccounts: boolean;
}

/**
 * The ledger port: everything a booking needs from an accounting system. Every write is exactly once
 * only together with findDocument: callers look a document up by reference before creating it.
 * Adapters throw BookingError (domain/errors) for business failures and LedgerTransientError for faults
 * worth retrying (timeouts, 5xx, 429).
 */
/** firstAttempt: no earlier attempt of this write can have reached the ledger, so there is nothing to look up. */
export interface WriteOptions {
  firstAttempt?: boolean;
}

/**
 * One accounting system. Every write first looks for a document with our reference and answers it instead of
 * creating a second one: a worker may have died after the ledger committed, before we recorded the answer. Only a
 * first attempt (WriteOptions) skips the look-up.
 */
export interface LedgerPort {
  findDocument(kind: DocumentKind, reference: string): Promise<PostedDocument | null>;
  /** Creates an invoice or credit note (plan.kind), as a draft or booked. */
  createInvoice(plan: InvoicePlan, mode: 'draft' | 'booked', opts?: WriteOptions): Promise<PostedDocument>;
  bookDraft(document: PostedDocument): Promise<PostedDocument>;
  /** Registers a payment (or refund payment) against the invoice (or credit note) it settles. */
  registerPayment(plan: PaymentPlan, settles: PostedDocument, opts?: WriteOptions): Promise<PostedDocument>;
  /** Posts a free journal voucher (payouts). */
  postVoucher(kind: DocumentKind, reference: string, voucher: Voucher, opts?: WriteOptions): Promise<PostedDocument>;
  checkSetup(needs: SetupNeeds): Promise<SetupReport>;
  createAccounts(accounts: AccountToCreate[]): Promise<void>;
  chart(): Promise<ChartOfAccounts>;
}

/** A fault worth retrying: the activity retry policy retries it, waiting at least retryAfterMs. */
export class LedgerTransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LedgerTransientError';
  }
}
