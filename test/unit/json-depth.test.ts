import { describe, expect, it } from 'vitest';
import { jsonNestedDeeperThan, MAX_JSON_DEPTH } from '../../src/domain/json-depth';

describe('JSON nesting depth', () => {
  it('finds nesting deeper than the bound, counting only brackets outside strings', () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(jsonNestedDeeperThan(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonNestedDeeperThan(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonNestedDeeperThan(`{"a":"${'['.repeat(1000)}","b":"\\"[[["}`)).toBe(false);
    expect(jsonNestedDeeperThan('{"a":{"b":{"c":[1,2,{"d":3}]}}}', 3)).toBe(true);
  });

  it('costs little on a hostile body of 500,000 levels', () => {
    const started = performance.now();
    expect(jsonNestedDeeperThan('['.repeat(500_000))).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
