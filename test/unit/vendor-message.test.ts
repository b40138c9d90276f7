import { describe, expect, it } from 'vitest';
import { vendorText } from '../../src/adapters/ledgers/http';
import { sanitizeVendorMessage, VENDOR_MESSAGE_MAX } from '../../src/adapters/vendor-message';

describe("a vendor's error text shown to a shop", () => {
  it('is short, plain text: no page of whatever answered', () => {
    const page = `<html><head><title>Admin</title></head><body>${'<p>internal\u0000 row</p>\n'.repeat(200)}</body></html>`;
    const shown = vendorText(page);
    expect(shown.length).toBeLessThanOrEqual(VENDOR_MESSAGE_MAX);
    for (const c of ['<', '>', '\u0000', '\n']) expect(shown).not.toContain(c);
    expect(sanitizeVendorMessage('  Account 1010\tdoes not exist ')).toBe('Account 1010 does not exist');
    expect(vendorText({ errorMessage: 'x'.repeat(600) })).toHaveLength(VENDOR_MESSAGE_MAX);
  });
});
