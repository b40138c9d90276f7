import { ApiError } from '../../api/client';

/**
 * A settlement upload as the page follows it. The API answers an upload in one of two ways, and the page takes both:
 * - at once: 202 `{ workflowIds, new }` (the file was read; its payouts book in the background), or 422 naming the
 *   refused line;
 * - later: 202 with an upload id; the page asks its status route until the file is read (`done`) or refused, with
 *   the line and the reason.
 */
export type UploadOutcome =
  | { state: 'done'; payouts: number; new: number }
  | { state: 'refused'; line: string | null; reason: string; message: string }
  | { state: 'pending'; statusPath: string; linesRead: number | null };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** "line 4", 4 or "4" → "4": the file's line as a person finds it in an editor. */
function lineOf(v: unknown): string | null {
  if (typeof v === 'number') return String(v);
  const s = text(v);
  return s === null ? null : s.replace(/^line\s+/i, '');
}

function done(result: Json): UploadOutcome {
  const ids = Array.isArray(result.workflowIds) ? result.workflowIds.length : null;
  const payouts = count(result.payouts) ?? (Array.isArray(result.payouts) ? result.payouts.length : null) ?? ids ?? 0;
  return { state: 'done', payouts, new: count(result.new) ?? payouts };
}

/** A refusal in either shape: `{ line, reason }` from a status route, or the API's error with `issues`. */
function refused(error: Json, fallbackMessage: string): UploadOutcome {
  const issue = Array.isArray(error.issues) && isObject(error.issues[0]) ? error.issues[0] : null;
  const line = lineOf(error.line) ?? lineOf(error.lineNumber) ?? (issue ? lineOf(issue.path) : null);
  const reason = text(error.reason) ?? (issue ? text(issue.message) : null) ?? text(error.message) ?? fallbackMessage;
  return { state: 'refused', line, reason, message: text(error.message) ?? reason };
}

/** Where an upload's status is read: the link the API gave, else the upload's place under its connection. */
function statusPathOf(connectionId: string, answer: Json, uploadId: string): string {
  const links = isObject(answer.links) ? answer.links : {};
  const given = text(answer.statusUrl) ?? text(answer.statusPath) ?? text(links.status) ?? text(answer.location);
  if (given) return given.startsWith('http') ? new URL(given).pathname : given;
  return `/v1/acquirers/${encodeURIComponent(connectionId)}/uploads/${encodeURIComponent(uploadId)}`;
}

/**
 * What an upload's or its status route's answer says. `answer` is the parsed body of a 2xx; for a status answer the
 * status path is already known (`statusPath`).
 */
export function outcomeOf(connectionId: string, answer: unknown, statusPath?: string): UploadOutcome {
  if (!isObject(answer)) return { state: 'done', payouts: 0, new: 0 };
  if (Array.isArray(answer.workflowIds) && answer.status === undefined) return done(answer);
  const status = text(answer.status);
  if (status === 'done' || status === 'parsed') return done(isObject(answer.result) ? answer.result : answer);
  if (status === 'refused' || status === 'failed') return refused(isObject(answer.error) ? answer.error : answer, 'the file was refused');
  const uploadId = text(answer.uploadId) ?? text(answer.id) ?? '';
  return { state: 'pending', statusPath: statusPath ?? statusPathOf(connectionId, answer, uploadId), linesRead: count(answer.linesRead) };
}

/** An upload or status call that the API refused: a refused file (422) names its line; anything else is an error. */
export function outcomeOfError(error: unknown): UploadOutcome | null {
  if (error instanceof ApiError && error.status === 422) return refused({ message: error.message, issues: error.issues }, error.message);
  return null;
}

/**
 * A file as text. Settlement exports are UTF-8, but a Nordic bank's or acquirer's export may still be Windows-1252
 * ("Betalingsgebyr Ø"): a file that is not valid UTF-8 is read as that, so its letters arrive as written.
 */
export function decodeFile(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
