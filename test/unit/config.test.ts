import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const base = { ADMIN_API_KEY: 'a'.repeat(32) };

describe('configuration from the environment', () => {
  it('fills defaults for a developer machine', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({ PORT: 3000, TEMPORAL_ADDRESS: 'localhost:7233', TEMPORAL_TASK_QUEUE: 'ledgerbridge', DATA_DIR: '.data' });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('names each bad variable and what is expected', () => {
    const bad = { ...base, PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'nohost', ADMIN_API_KEY: 'short' };
    expect(() => loadConfig(bad)).toThrow(ConfigError);
    const message = (() => {
      try {
        loadConfig(bad);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/PORT: .*number/i);
    expect(message).toMatch(/DATABASE_URL: expected a PostgreSQL URL/);
    expect(message).toMatch(/TEMPORAL_ADDRESS: expected host:port/);
    expect(message).toMatch(/ADMIN_API_KEY: expected at least 24 characters/);
  });

  it('says which required variable a process is missing', () => {
    expect(() => loadConfig({}, ['DATABASE_URL', 'ADMIN_API_KEY'])).toThrow(/DATABASE_URL: required for this process \(not set\)[\s\S]*ADMIN_API_KEY: required/);
  });

  it('reads which proxies to trust for the client address, and refuses anything else', () => {
    expect(loadConfig(base).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ ...base, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 192.168.1.2' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '192.168.1.2']);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY: expected true, false, or comma-separated/);
  });

  it('takes test endpoints only outside production', () => {
    expect(loadConfig(base).TEST_ENDPOINTS).toBe(false);
    expect(loadConfig({ ...base, TEST_ENDPOINTS: 'true' }).TEST_ENDPOINTS).toBe(true);
    expect(() => loadConfig({ ...base, TEST_ENDPOINTS: 'true', NODE_ENV: 'production' })).toThrow(/TEST_ENDPOINTS: test endpoints are never allowed/);
  });
});
