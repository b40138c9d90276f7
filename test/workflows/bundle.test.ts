import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

/**
 * Every workflow context loads the whole bundle: what it carries costs each open workflow CPU and memory
 * (a validation library alone cost 17 ms of worker CPU and about 1 MiB per order workflow). The lint rule keeps
 * direct imports out; this catches one that slips in through another module.
 */
describe('the workflow bundle', () => {
  it('carries no validation library and no Node API', () => {
    const code = readFileSync(inject('workflowBundlePath'), 'utf8');
    expect(code).not.toMatch(/node_modules\/zod\//);
    expect(code).not.toMatch(/require\(["']node:/);
  });
});
