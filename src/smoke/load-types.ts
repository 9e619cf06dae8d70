import type { IncomingHttpHeaders } from 'node:http';

// The types of smoke's load: client.ts (which re-exports them), load.ts, raw.ts and threads.ts all use
// them, and client.ts uses those three, so they live here rather than in client.ts (no import circle).

/** How to send one smoke request. */
export interface RequestPlan {
  url: URL;
  method: string;
  headers: Record<string, string>;
  /** Reuse connections (pins a client to a backend on many LBs); default is a new connection each. */
  keepAlive: boolean;
  timeoutMs: number;
  /** Collect the body (needed for JSON/regex backends and echoed-header checks). */
  needBody: boolean;
  ca?: Buffer;
  servername?: string;
  /** Skip certificate verification for the load itself (the TLS check still reports). */
  insecure?: boolean;
}

/** One answer (or transport error, `status` 0). */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  ms: number;
  error?: string;
}

/** What the load loop keeps per request: small, so 100 000 requests stay cheap. */
export interface Sample {
  /** Completion time, ms since the run started. */
  t: number;
  ms: number;
  status: number;
  error?: string;
  backend?: string;
  /** Keys of per-response problems found by the observer (e.g. `header:x-lb`). */
  flags?: string[];
}

/** How long a load loop runs and how fast. */
export interface LoopOptions {
  /** Total requests; omit to run until `stopped()`. */
  count?: number;
  concurrency: number;
  /** Pause of each worker between its requests. */
  pauseMs?: number;
  stopped?: () => boolean;
}

export type Observer = (reply: Reply) => { backend?: string; flags?: string[] };

export interface LoadOptions {
  /** Total requests; omit to run until `signal` aborts. */
  count?: number;
  concurrency: number;
  signal?: AbortSignal;
  observe?: Observer;
  onSample?: (s: Sample) => void;
  /** Time origin for `Sample.t` (default: now). */
  origin?: number;
  /** Pause of each worker between its requests (bounds the rate of long runs such as failover). */
  pauseMs?: number;
  /** Load threads; default: 2 for counted runs of ≥ 2000 requests at ≥ 8 in flight on ≥ 4 cores, else 1. */
  threads?: number;
}
