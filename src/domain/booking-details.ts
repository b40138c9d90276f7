import { describeError } from './errors';

/**
 * What an operator reads on a booking's page in the Temporal Web UI (the workflow's current details, Markdown): the
 * state, and for a failure its message and fix. Only catalog texts and ids: nothing secret, nothing personal.
 */
export function bookingDetails(subject: 'order' | 'refund' | 'payout', subjectId: string, status: string, error?: { code: string }): string {
  const head = `**${subject} ${subjectId}: ${status}**`;
  if (!error) return head;
  const { message, fix } = describeError(error.code);
  return `${head}\n\n\`${error.code}\`: ${message}\n\n**Fix:** ${fix}`;
}
