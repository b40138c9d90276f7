import { describe, expect, it } from 'vitest';
import { normalizeEmail, refusal, roleNeeded } from '../../../src/domain/roles';

describe('roles', () => {
  it('reads need a viewer; changes need an owner unless the route names a lower role', () => {
    expect(roleNeeded('GET')).toBe('viewer');
    expect(roleNeeded('HEAD', 'bookkeeper')).toBe('viewer');
    expect(roleNeeded('POST')).toBe('owner');
    expect(roleNeeded('PUT', 'bookkeeper')).toBe('bookkeeper');
  });

  it('orders the merchant roles and keeps operators to reading shops', () => {
    expect(refusal('viewer', 'GET', 'viewer')).toBeNull();
    expect(refusal('viewer', 'POST', 'bookkeeper')).toMatch(/needs the bookkeeper role .* you are viewer/);
    expect(refusal('bookkeeper', 'POST', 'bookkeeper')).toBeNull();
    expect(refusal('bookkeeper', 'PUT', 'owner')).toMatch(/needs the owner role/);
    expect(refusal('owner', 'DELETE', 'owner')).toBeNull();
    expect(refusal('operator', 'GET', 'viewer')).toBeNull();
    expect(refusal('operator', 'POST', 'bookkeeper')).toMatch(/Operators read every shop but change none/);
  });

  it('compares emails lower-cased and trimmed', () => {
    expect(normalizeEmail('  Jens@Example.COM ')).toBe('jens@example.com');
  });
});
