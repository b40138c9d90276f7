/**
 * A new ledger starts in draft mode. After its trial it graduates to auto-post, but only when the trial had no
 * failed postings, or when the owner approves. The owner may also approve early, postpone, or stay on drafts.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  approveGraduationSignal,
  graduationQuery,
  postponeGraduationSignal,
  stayOnDraftsSignal,
  type GraduationView,
} from './definitions';
import { checked, postponeInput } from './signal-inputs';

const { countFailedPostingsSince, setLedgerMode } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
});

export interface GraduationInput {
  ledgerId: string;
  trialMs: number;
}

export async function graduationWorkflow({ ledgerId, trialMs }: GraduationInput): Promise<GraduationView['state']> {
  const startedAt = Date.now();
  let trialEndsAt = startedAt + trialMs;
  let approved = false;
  let stayOnDrafts = false;
  let postponed = false;
  const view: GraduationView = {
    ledgerId,
    state: 'trial',
    trialStartedAt: new Date(startedAt).toISOString(),
    trialEndsAt: new Date(trialEndsAt).toISOString(),
    failedPostingsInTrial: null,
  };

  setHandler(approveGraduationSignal, () => void (approved = true));
  setHandler(stayOnDraftsSignal, () => void (stayOnDrafts = true));
  setHandler(postponeGraduationSignal, checked('postponeGraduation', postponeInput, ({ days }) => {
    trialEndsAt += days * 24 * 3600 * 1000;
    view.trialEndsAt = new Date(trialEndsAt).toISOString();
    postponed = true;
  }));
  setHandler(graduationQuery, () => view);

  // Sleep until the trial ends; a postponement moves the end, so wait again.
  for (;;) {
    postponed = false;
    const decided = await condition(() => approved || stayOnDrafts || postponed, Math.max(1, trialEndsAt - Date.now()));
    if (!decided || approved || stayOnDrafts) break;
  }

  for (;;) {
    if (stayOnDrafts) {
      view.state = 'staying_on_drafts';
      return view.state;
    }
    const failed = await countFailedPostingsSince({ ledgerId, since: new Date(startedAt).toISOString() });
    view.failedPostingsInTrial = failed;
    if (failed === 0 || approved) {
      // Drafts made during the trial stay drafts: booking them is the owner's decision, per order.
      await setLedgerMode({ ledgerId, mode: 'auto' });
      view.state = 'graduated';
      return view.state;
    }
    view.state = 'awaiting_approval';
    await condition(() => approved || stayOnDrafts);
  }
}
