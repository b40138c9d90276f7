import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../app/src/api/client';
import { decodeFile, outcomeOf, outcomeOfError } from '../../../app/src/pages/payouts/upload';

// The payouts page follows a settlement upload whichever way the API answers it (app/src/pages/payouts/upload.ts).
describe('a settlement upload as the payouts page follows it', () => {
  it('takes the synchronous answer: the file is read, its payouts are counted', () => {
    expect(outcomeOf('acq_1', { workflowIds: ['payout/acq_1/8812001', 'payout/acq_1/8812002'], new: 1 })).toEqual({ state: 'done', payouts: 2, new: 1 });
  });

  it('takes a refusal (422) with the line and the reason the API named', () => {
    const refused = new ApiError(422, 'invalid_settlement_file', 'Line 4: bad date. Nothing of the file was booked; fix it and upload it again.', [
      { path: 'line 4', message: 'Transaction date "31.11.2026" is not a real date' },
    ]);
    expect(outcomeOfError(refused)).toEqual({ state: 'refused', line: '4', reason: 'Transaction date "31.11.2026" is not a real date', message: refused.message });
    expect(outcomeOfError(new ApiError(409, 'not_a_file_source', 'takes no files'))).toBeNull();
  });

  it('follows an upload answered 202 with an id: its status route until read or refused', () => {
    const pending = outcomeOf('acq_1', { uploadId: 'upl_9', status: 'received' });
    expect(pending).toEqual({ state: 'pending', statusPath: '/v1/acquirers/acq_1/uploads/upl_9', linesRead: null });
    // A status link the API gives wins over the page's guess.
    expect(outcomeOf('acq_1', { uploadId: 'upl_9', status: 'received', statusUrl: 'http://localhost:3000/v1/settlement-uploads/upl_9' })).toMatchObject({ statusPath: '/v1/settlement-uploads/upl_9' });
    const path = '/v1/acquirers/acq_1/uploads/upl_9';
    expect(outcomeOf('acq_1', { id: 'upl_9', status: 'parsing', linesRead: 1200 }, path)).toEqual({ state: 'pending', statusPath: path, linesRead: 1200 });
    expect(outcomeOf('acq_1', { id: 'upl_9', status: 'done', result: { workflowIds: ['a', 'b', 'c'], new: 3 } }, path)).toEqual({ state: 'done', payouts: 3, new: 3 });
    expect(outcomeOf('acq_1', { id: 'upl_9', status: 'refused', error: { line: 4, reason: 'Transaction date "31.11.2026" is not a real date' } }, path)).toEqual({
      state: 'refused',
      line: '4',
      reason: 'Transaction date "31.11.2026" is not a real date',
      message: 'Transaction date "31.11.2026" is not a real date',
    });
  });

  it('takes the answers of the upload route that reads files in the background (branch tenant-uploads)', () => {
    const accepted = { uploadId: 'upl_7', status: 'received', statusUrl: '/v1/acquirers/acq_1/uploads/upl_7', duplicateOf: null };
    expect(outcomeOf('acq_1', accepted)).toEqual({ state: 'pending', statusPath: '/v1/acquirers/acq_1/uploads/upl_7', linesRead: null });
    const path = '/v1/acquirers/acq_1/uploads/upl_7';
    const status = { uploadId: 'upl_7', connectionId: 'acq_1', bytes: 812, sha256: 'ab', receivedAt: '2026-12-03T10:00:00Z', finishedAt: null, result: null, error: null };
    expect(outcomeOf('acq_1', { ...status, status: 'parsing', linesRead: 3 }, path)).toEqual({ state: 'pending', statusPath: path, linesRead: 3 });
    expect(outcomeOf('acq_1', { ...status, status: 'done', linesRead: 6, result: { workflowIds: ['w1', 'w2'], new: 2, payouts: 2 } }, path)).toEqual({ state: 'done', payouts: 2, new: 2 });
    const error = {
      code: 'invalid_settlement_file',
      message: 'line 4: Transaction date "31.11.2026" is not a real date. Nothing of the file was booked; fix it and upload it again with POST /v1/acquirers/acq_1/settlements.',
      issues: [{ path: 'line 4', message: 'Transaction date "31.11.2026" is not a real date' }],
    };
    expect(outcomeOf('acq_1', { ...status, status: 'refused', linesRead: 4, error }, path)).toEqual({ state: 'refused', line: '4', reason: 'Transaction date "31.11.2026" is not a real date', message: error.message });
  });

  it('reads a file that is not UTF-8 as Windows-1252, so Danish letters arrive as written', () => {
    const utf8 = new TextEncoder().encode('Gebyr;Ø;æ');
    expect(decodeFile(utf8.buffer)).toBe('Gebyr;Ø;æ');
    const latin = new Uint8Array([0x47, 0x65, 0x62, 0x79, 0x72, 0x3b, 0xd8, 0x3b, 0xe6]);
    expect(decodeFile(latin.buffer)).toBe('Gebyr;Ø;æ');
  });
});
