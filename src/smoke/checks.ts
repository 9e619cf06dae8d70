import { backendOf, jsonPath, type Observer, type Reply, type Sample } from './client.js';
import type { TargetSpec } from './spec.js';
import { histogram, imbalance, percentileSorted, round, type Bucket } from './stats.js';

/** One check's verdict; a failed one says what was expected and what was seen. */
export interface CheckResult {
  name: string;
  passed: boolean;
  expected: string;
  seen: string;
}

/** The numbers of one load run, reduced from its samples. */
export interface LoadSummary {
  requests: number;
  failures: number;
  errorRate: number;
  durationMs: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  backends: Record<string, number>;
  histogram: Bucket[];
  flags: Record<string, number>;
}

/** Per-response observer: the backend name plus flags for missing/wrong headers. */
export function observerFor(t: TargetSpec): Observer {
  const respHeaders = Object.entries(t.responseHeaders);
  const echoed = [
    ...Object.entries(t.forwardHeaders).map(([k, v]) => ['fw', k, v] as const),
    ...Object.entries(t.proxyHeaders).map(([k, v]) => ['px', k, v] as const),
  ];
  return (reply: Reply) => {
    if (reply.status === 0) return {};
    const flags: string[] = [];
    for (const [name, want] of respHeaders) {
      const got = reply.headers[name];
      const value = Array.isArray(got) ? got.join(', ') : got;
      if (value === undefined || (want !== undefined && value !== want)) flags.push(`rh:${name}`);
    }
    if (echoed.length > 0) {
      const raw = jsonPath(reply.body, t.echoField);
      const headers = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      for (const [kind, name, want] of echoed) {
        const got = lower[name];
        if (got === undefined || (want !== undefined && got !== want)) flags.push(`${kind}:${name}`);
      }
    }
    return { backend: backendOf(reply, t.backendFrom), flags };
  };
}

/** True when the sample counts as failed: a transport error or a status outside the allowed set. */
export function isFailure(s: Sample, t: TargetSpec): boolean {
  return s.status === 0 || !t.expectStatus.ok(s.status);
}

/** Reduces samples to counts, percentiles and a histogram. */
export function summarise(samples: readonly Sample[], t: TargetSpec, durationMs: number): LoadSummary {
  const lat = samples.map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  const backends: Record<string, number> = {};
  const flags: Record<string, number> = {};
  let failures = 0;
  for (const s of samples) {
    const key = s.status === 0 ? (s.error ?? 'error') : String(s.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (isFailure(s, t)) failures++;
    else if (s.backend !== undefined) backends[s.backend] = (backends[s.backend] ?? 0) + 1;
    for (const f of s.flags ?? []) flags[f] = (flags[f] ?? 0) + 1;
  }
  const n = samples.length;
  return {
    requests: n,
    failures,
    errorRate: n ? failures / n : 0,
    durationMs,
    rps: durationMs > 0 ? (n * 1000) / durationMs : 0,
    p50: percentileSorted(lat, 50),
    p95: percentileSorted(lat, 95),
    p99: percentileSorted(lat, 99),
    max: lat[lat.length - 1] ?? 0,
    statuses,
    backends,
    histogram: histogram(lat),
    flags,
  };
}

const pct = (x: number) => `${round(x * 100, 2)}%`;
const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ') || 'none';

/**
 * The checks on one load run. `expected` is the backend set that must answer (from the stack or
 * the inputs), with display names such as `abc123 (shop_app_3)` for the ones that never did.
 */
export function evaluateLoad(
  t: TargetSpec,
  s: LoadSummary,
  expected: { hostname: string; label: string }[],
): CheckResult[] {
  const out: CheckResult[] = [];
  out.push({
    name: 'status',
    passed: s.errorRate <= t.maxErrorRate && s.requests > 0,
    expected: `status ${t.expectStatus.text}, error rate ≤ ${pct(t.maxErrorRate)}`,
    seen: `${s.failures} of ${s.requests} failed (${pct(s.errorRate)}); statuses: ${list(s.statuses)}`,
  });
  for (const p of ['p50', 'p95', 'p99'] as const) {
    const max = t.latency[p];
    if (max === undefined) continue;
    out.push({
      name: `latency ${p}`,
      passed: s[p] <= max,
      expected: `${p} ≤ ${max} ms`,
      seen: `${p} ${round(s[p])} ms`,
    });
  }
  const seenNames = Object.keys(s.backends);
  if (t.minBackends > 0) {
    out.push({
      name: 'distinct backends',
      passed: seenNames.length >= t.minBackends,
      expected: `at least ${t.minBackends} distinct backend(s) (from ${describeSource(t)})`,
      seen: `${seenNames.length}: ${list(s.backends)}`,
    });
  }
  if (expected.length > 0) {
    const missing = expected.filter((e) => !(s.backends[e.hostname] > 0));
    out.push({
      name: 'every replica answered',
      passed: missing.length === 0,
      expected: `traffic on all ${expected.length} replicas: ${expected.map((e) => e.label).join(', ')}`,
      seen:
        missing.length === 0
          ? list(s.backends)
          : `never answered: ${missing.map((e) => e.label).join(', ')}; answered: ${list(s.backends)}`,
    });
  }
  if (t.maxImbalance !== undefined) {
    const ratio = imbalance(
      s.backends,
      expected.map((e) => e.hostname),
    );
    out.push({
      name: 'imbalance',
      passed: ratio <= t.maxImbalance,
      expected: `busiest/quietest ≤ ${t.maxImbalance}`,
      seen: `${Number.isFinite(ratio) ? round(ratio, 2) : '∞ (a backend got nothing)'}: ${list(s.backends)}`,
    });
  }
  const ok = s.requests - s.failures;
  const headerCheck = (key: string, name: string, expectedText: string) => {
    const bad = s.flags[key] ?? 0;
    out.push({
      name,
      passed: bad === 0 && ok > 0,
      expected: expectedText,
      seen:
        bad === 0
          ? `on all ${ok} answered responses`
          : `missing or different on ${bad} of ${s.requests} responses`,
    });
  };
  for (const [h, v] of Object.entries(t.responseHeaders)) {
    headerCheck(
      `rh:${h}`,
      `response header ${h}`,
      `response header ${h}${v === undefined ? '' : `: ${v}`} on every response`,
    );
  }
  for (const [h, v] of Object.entries(t.forwardHeaders)) {
    headerCheck(
      `fw:${h}`,
      `forwarded ${h}`,
      `request header ${h}: ${v} reaches the backend (echoed in "${t.echoField}")`,
    );
  }
  for (const [h, v] of Object.entries(t.proxyHeaders)) {
    headerCheck(
      `px:${h}`,
      `proxy adds ${h}`,
      `the proxy adds ${h}${v === undefined ? '' : `: ${v}`} (echoed in "${t.echoField}")`,
    );
  }
  return out;
}

function describeSource(t: TargetSpec): string {
  const b = t.backendFrom;
  return b.kind === 'header'
    ? `header ${b.value}`
    : b.kind === 'json'
      ? `JSON field ${b.value}`
      : `body regex /${b.value}/`;
}
