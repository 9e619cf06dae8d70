/**
 * A small, real `SmokeRunner` (the contract in src/smoke/api.ts): N GET requests, status checks,
 * backends counted by header, latency percentiles. blue-green uses it until the smoke step's
 * `runSmoke` is wired in (it is injected, so either fits).
 */
import { get } from 'node:http';
import type { SmokeOutcome, SmokeRequest, SmokeRunner } from '../smoke/api.js';

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * GET on a new connection each time (no keep-alive pool): a pooled socket that an nginx reload
 * closed while idle would fail the next request for reasons that are not the target's fault.
 */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 5000,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, headers: { ...headers, connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

async function once(
  req: SmokeRequest,
  header: string,
): Promise<{ status: number; backend: string; ms: number }> {
  const t0 = performance.now();
  const res = await httpGet(req.url, req.headers);
  const backend = res.headers[header.toLowerCase()];
  return { status: res.status, backend: String(backend ?? ''), ms: performance.now() - t0 };
}

/** Runs a basic smoke test; never throws for a failing target (that is a failed outcome). */
export const basicSmoke: SmokeRunner = async (req) => {
  const total = req.requests ?? 50;
  const concurrency = Math.max(1, Math.min(req.concurrency ?? 5, total));
  const header = req.backendHeader ?? 'X-Served-By';
  const ok = (s: number) => (req.expectStatus ? req.expectStatus.includes(s) : s >= 200 && s < 400);
  const failedChecks: string[] = [];
  // Wait until the target first answers at all.
  const deadline = Date.now() + (req.readyTimeoutMs ?? 30_000);
  for (;;) {
    const first = await once(req, header).catch(() => undefined);
    if (first && ok(first.status)) break;
    if (Date.now() > deadline) {
      failedChecks.push(
        `${req.url} never answered with an expected status (last: ${first?.status ?? 'no answer'})`,
      );
      return {
        passed: false,
        requests: 0,
        failures: 0,
        backends: {},
        p50Ms: 0,
        p95Ms: 0,
        p99Ms: 0,
        failedChecks,
      };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const backends: Record<string, number> = {};
  const times: number[] = [];
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      try {
        const r = await once(req, header);
        times.push(r.ms);
        if (r.backend) backends[r.backend] = (backends[r.backend] ?? 0) + 1;
        if (!ok(r.status)) {
          failures++;
          if (failedChecks.length < 5) failedChecks.push(`${req.url} answered ${r.status}`);
        }
      } catch (err: unknown) {
        failures++;
        if (failedChecks.length < 5) failedChecks.push(`${req.url}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const min = req.minBackends ?? 1;
  if (Object.keys(backends).length < min) {
    failedChecks.push(`expected at least ${min} backends (${header}), saw ${Object.keys(backends).length}`);
  }
  times.sort((a, b) => a - b);
  const outcome: SmokeOutcome = {
    passed: failedChecks.length === 0,
    requests: total,
    failures,
    backends,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    p99Ms: percentile(times, 99),
    failedChecks,
  };
  return outcome;
};
