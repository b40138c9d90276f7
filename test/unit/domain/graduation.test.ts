import { describe, expect, it } from 'vitest';
import { graduationOutlook } from '../../../src/domain/graduation';

const ends = '2026-12-17T09:00:00.000Z';

describe('what the owner is told about the draft trial', () => {
  it('a clean trial switches to auto-post by itself on the day it ends', () => {
    const o = graduationOutlook('trial', ends, 0);
    expect(o).toMatchObject({ switchesAt: ends, switchesBy: 'itself' });
    expect(o.next).toContain('2026-12-17');
    expect(o.next).toContain('by itself');
  });

  it('a trial with a failure so far will wait for approval when it ends, and says how many failed', () => {
    const o = graduationOutlook('trial', ends, 2);
    expect(o).toMatchObject({ switchesAt: ends, switchesBy: 'approval' });
    expect(o.next).toContain('2 postings have failed');
    expect(o.next).toContain('POST /v1/ledger/graduation/approve');
  });

  it('after the trial it waits for approval, with no date; once decided nothing is pending', () => {
    expect(graduationOutlook('awaiting_approval', ends, 1)).toMatchObject({ switchesAt: null, switchesBy: 'approval' });
    expect(graduationOutlook('awaiting_approval', ends, 1).next).toContain('1 posting has failed');
    expect(graduationOutlook('graduated', ends, 0)).toMatchObject({ switchesAt: null, switchesBy: null });
    expect(graduationOutlook('staying_on_drafts', ends, 3)).toMatchObject({ switchesAt: null, switchesBy: null });
  });
});
