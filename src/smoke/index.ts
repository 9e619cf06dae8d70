import { InputReader, inputsFrom } from '../core/inputs.js';
import type { SmokeOutcome, SmokeRequest, SmokeRunner } from './api.js';
import { failedLines } from './report.js';
import { runTarget } from './run.js';
import { readTarget } from './spec.js';

export type { SmokeOutcome, SmokeRequest, SmokeRunner } from './api.js';
export { runTarget, type TargetResult } from './run.js';
export { readTarget, type TargetSpec } from './spec.js';

/** The smoke request as step inputs (the same validation and defaults as `shipkit smoke`). */
export function requestInputs(req: SmokeRequest): Record<string, string | number | undefined> {
  return {
    url: req.url,
    requests: req.requests ?? 50,
    concurrency: req.concurrency ?? 5,
    'ready-timeout': req.readyTimeoutMs === undefined ? undefined : `${req.readyTimeoutMs}ms`,
    'expect-status': req.expectStatus?.length ? req.expectStatus.join(',') : undefined,
    'min-backends': req.minBackends ?? 1,
    'backend-header': req.backendHeader,
    headers: req.headers
      ? Object.entries(req.headers)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')
      : undefined,
  };
}

/**
 * Smoke-tests one URL for another step (blue-green): readiness, status, latency, backends.
 * Never throws for a failed check (`passed: false` with `failedChecks`); throws `UserError`
 * for a malformed request (bad URL, bad header).
 */
export const runSmoke: SmokeRunner = async (req: SmokeRequest): Promise<SmokeOutcome> => {
  const spec = readTarget(new InputReader(inputsFrom(requestInputs(req))));
  const r = await runTarget(spec);
  return {
    passed: r.passed,
    requests: r.load.requests,
    failures: r.load.failures,
    backends: r.load.backends,
    p50Ms: r.load.p50,
    p95Ms: r.load.p95,
    p99Ms: r.load.p99,
    failedChecks: failedLines([r]).map((l) => l.slice(r.name.length + 2)),
  };
};
