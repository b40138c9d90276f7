/**
 * What the owner needs to know about a ledger's draft trial: when it switches to auto-post, and whether it switches
 * by itself or waits for the owner. A trial switches by itself only if no posting failed in it; after a failure it
 * waits for approval when the trial ends.
 */
export type GraduationState = 'trial' | 'awaiting_approval' | 'graduated' | 'staying_on_drafts';

export interface GraduationOutlook {
  /** When the trial ends and the ledger switches (or starts waiting for approval); null once decided. */
  switchesAt: string | null;
  /** `itself` at switchesAt, or only on the owner's `approval`; null once decided. */
  switchesBy: 'itself' | 'approval' | null;
  /** The same for a person. */
  next: string;
}

const APPROVE = 'POST /v1/ledger/graduation/approve';
const failures = (n: number) => (n === 1 ? '1 posting has failed' : `${n} postings have failed`);

export function graduationOutlook(state: GraduationState, trialEndsAt: string, failedSoFar: number): GraduationOutlook {
  const day = trialEndsAt.slice(0, 10);
  switch (state) {
    case 'trial':
      return failedSoFar === 0
        ? {
            switchesAt: trialEndsAt,
            switchesBy: 'itself',
            next: `Invoices stay drafts until ${day}; then the ledger switches to auto-post by itself, if no posting fails before then. To switch now: ${APPROVE}.`,
          }
        : {
            switchesAt: trialEndsAt,
            switchesBy: 'approval',
            next: `Invoices stay drafts until ${day}; ${failures(failedSoFar)} in the trial, so the ledger then waits for your approval (${APPROVE}) before it switches to auto-post.`,
          };
    case 'awaiting_approval':
      return {
        switchesAt: null,
        switchesBy: 'approval',
        next: `The trial ended on ${day} and ${failures(failedSoFar)} in it: invoices stay drafts until you approve (${APPROVE}).`,
      };
    case 'graduated':
      return { switchesAt: null, switchesBy: null, next: 'The ledger posts automatically (auto-post).' };
    case 'staying_on_drafts':
      return { switchesAt: null, switchesBy: null, next: 'The ledger stays on drafts, as the owner chose; invoices wait for review.' };
  }
}
