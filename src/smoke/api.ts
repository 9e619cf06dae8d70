/**
 * The contract between the `smoke` step and its users (`blue-green` smoke-tests the idle colour and
 * the live route through it). Implemented in src/smoke by the smoke issue (`runSmoke` in
 * src/smoke/index.ts); blue-green depends only on this file.
 */
export interface SmokeRequest {
  /** The URL to test, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** How many requests in total (default 50). */
  requests?: number;
  /** How many at once (default 5). */
  concurrency?: number;
  /** How long to retry until the target first answers, in ms (default 30 000). */
  readyTimeoutMs?: number;
  /** Allowed status codes (default: 200–399). */
  expectStatus?: number[];
  /** At least this many distinct backends must answer (default 1). */
  minBackends?: number;
  /** Response header that names the backend (default `X-Served-By`). */
  backendHeader?: string;
  /** Request headers to send. */
  headers?: Record<string, string>;
}

export interface SmokeOutcome {
  passed: boolean;
  requests: number;
  failures: number;
  /** Responses per backend name. */
  backends: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** One line per failed check: what was expected and what was seen. */
  failedChecks: string[];
}

export type SmokeRunner = (request: SmokeRequest) => Promise<SmokeOutcome>;
