import { describe, expect, it } from 'vitest';
import { sample } from '../../bench/cost';
import { resultsJson } from '../../bench/shared';

describe('bench/results.json', () => {
  it('is the same JSON with each scenario on a line of its own', () => {
    const doc = { at: '2026-12-03T18:00:00.000Z', orders: 600, results: [{ scenario: 'floor', cpuMsPerOrder: { total: 56 } }, { scenario: 'one-ledger', ratioToFloor: null }], extra: { a: 1 } };
    const text = resultsJson(doc);
    expect(JSON.parse(text)).toEqual(doc);
    const lines = text.split('\n');
    for (const r of doc.results) expect(lines).toContain(`    ${JSON.stringify(r)}${r === doc.results.at(-1) ? '' : ','}`);
  });

  it('writes no results as an empty list', () => {
    expect(JSON.parse(resultsJson({ results: [] }))).toEqual({ results: [] });
  });
});

describe('the history sample', () => {
  it('spreads over the run, first order included, and never repeats', () => {
    expect(sample([...Array(600).keys()], 20)).toEqual([...Array(20).keys()].map((i) => i * 30));
    expect(sample([1, 2, 3], 20)).toEqual([1, 2, 3]);
  });
});
