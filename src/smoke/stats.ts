/** Pure statistics over smoke samples: percentiles, imbalance, histograms. No I/O. */

/**
 * The p-th percentile (0–100) of `values` by the nearest-rank method (what k6 and Gatling report
 * for small samples): the smallest value with at least p % of the samples at or below it.
 * Returns 0 for an empty list. Does not modify `values`.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return percentileSorted(sorted, p);
}

/** Like {@link percentile} on an already ascending list (no copy, no sort). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.max(rank - 1, 0)];
}

/**
 * Busiest over quietest backend among `expected` (or among those seen when no set is expected).
 * An expected backend with no responses makes the ratio `Infinity`; fewer than one backend gives 1.
 */
export function imbalance(counts: Readonly<Record<string, number>>, expected?: readonly string[]): number {
  const names = expected && expected.length > 0 ? expected : Object.keys(counts);
  if (names.length === 0) return 1;
  const values = names.map((n) => counts[n] ?? 0);
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (max === 0) return 1;
  return min === 0 ? Infinity : max / min;
}

export interface Bucket {
  /** Upper bound of the bucket in ms (inclusive). */
  le: number;
  count: number;
}

const BOUNDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/**
 * Latency histogram on fixed log-ish bounds (1 ms … 10 s, then +Inf), trimmed to the buckets
 * between the first and last non-empty one so charts stay readable.
 */
export function histogram(latencies: Iterable<number>): Bucket[] {
  const buckets: Bucket[] = [...BOUNDS, Infinity].map((le) => ({ le, count: 0 }));
  for (const v of latencies) {
    const i = buckets.findIndex((b) => v <= b.le);
    buckets[i].count++;
  }
  const first = buckets.findIndex((b) => b.count > 0);
  if (first < 0) return [];
  let last = buckets.length - 1;
  while (buckets[last].count === 0) last--;
  return buckets.slice(first, last + 1);
}

/** Rounds to `digits` decimals for display and reports. */
export function round(n: number, digits = 1): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Parses `200`, `200-299`, `2xx`, `301,302` lists into a predicate on status codes. */
export function parseStatusSpec(spec: string): ((status: number) => boolean) | undefined {
  const parts = spec
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const ranges: [number, number][] = [];
  for (const part of parts) {
    let m: RegExpExecArray | null;
    if ((m = /^([1-5])xx$/i.exec(part))) ranges.push([Number(m[1]) * 100, Number(m[1]) * 100 + 99]);
    else if ((m = /^(\d{3})-(\d{3})$/.exec(part))) ranges.push([Number(m[1]), Number(m[2])]);
    else if ((m = /^(\d{3})$/.exec(part))) ranges.push([Number(m[1]), Number(m[1])]);
    else return undefined;
  }
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi);
}
