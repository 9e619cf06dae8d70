import { describe, expect, it } from 'vitest';
import { histogram, imbalance, parseStatusSpec, percentile } from './stats.js';

describe('percentile (nearest rank)', () => {
  const rows = [
    { name: 'empty list', values: [], p: 50, expected: 0 },
    { name: 'single value', values: [7], p: 99, expected: 7 },
    { name: 'median of 1..10', values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p: 50, expected: 5 },
    { name: 'p95 of 1..100', values: Array.from({ length: 100 }, (_, i) => i + 1), p: 95, expected: 95 },
    {
      name: 'p99 of 1..100 with an outlier',
      values: [...Array.from({ length: 99 }, () => 1), 1000],
      p: 99,
      expected: 1,
    },
    { name: 'p100 is the max', values: [3, 1, 2], p: 100, expected: 3 },
    { name: 'p0 is the min', values: [3, 1, 2], p: 0, expected: 1 },
  ];
  for (const r of rows) it(r.name, () => expect(percentile(r.values, r.p)).toBe(r.expected));

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('imbalance (busiest / quietest)', () => {
  const rows: { name: string; counts: Record<string, number>; expected?: string[]; ratio: number }[] = [
    { name: 'even', counts: { a: 10, b: 10, c: 10 }, expected: undefined, ratio: 1 },
    { name: 'uneven', counts: { a: 12, b: 3, c: 6 }, expected: undefined, ratio: 4 },
    {
      name: 'an expected backend with nothing is infinite',
      counts: { a: 5, b: 5 },
      expected: ['a', 'b', 'c'],
      ratio: Infinity,
    },
    { name: 'only expected backends count', counts: { a: 5, b: 10, x: 1 }, expected: ['a', 'b'], ratio: 2 },
    { name: 'no backends at all', counts: {}, expected: undefined, ratio: 1 },
  ];
  for (const r of rows) it(r.name, () => expect(imbalance(r.counts, r.expected)).toBe(r.ratio));
});

describe('histogram', () => {
  it('counts into fixed buckets and trims empty ends', () => {
    expect(histogram([0.5, 3, 4, 4.5, 60, 70000])).toEqual([
      { le: 1, count: 1 },
      { le: 2, count: 0 },
      { le: 5, count: 3 },
      { le: 10, count: 0 },
      { le: 20, count: 0 },
      { le: 50, count: 0 },
      { le: 100, count: 1 },
      { le: 200, count: 0 },
      { le: 500, count: 0 },
      { le: 1000, count: 0 },
      { le: 2000, count: 0 },
      { le: 5000, count: 0 },
      { le: 10000, count: 0 },
      { le: Infinity, count: 1 },
    ]);
    expect(histogram([])).toEqual([]);
  });
});

describe('parseStatusSpec', () => {
  const rows = [
    { name: 'single code', spec: '200', yes: [200], no: [201, 404] },
    { name: 'range', spec: '200-299', yes: [200, 250, 299], no: [199, 300] },
    { name: 'class', spec: '2xx', yes: [200, 299], no: [301] },
    { name: 'list', spec: '200, 301,404', yes: [200, 301, 404], no: [302, 500] },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const ok = parseStatusSpec(r.spec)!;
      for (const s of r.yes) expect(ok(s), `${s}`).toBe(true);
      for (const s of r.no) expect(ok(s), `${s}`).toBe(false);
    });
  }
  it('rejects junk', () => {
    for (const spec of ['', 'ok', '20', '2xx-3xx', '200-'])
      expect(parseStatusSpec(spec), spec).toBeUndefined();
  });
});
