import { TransportError } from './http.js';
import { sleep } from './time.js';

/** What one attempt produced, as the retry loop sees it. */
export type Attempt<T> =
  | { kind: 'done'; value: T }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'fail'; error: Error };

export interface RetryPolicy {
  /** Extra attempts after the first (default 5). */
  retries: number;
  /** First back-off for 5xx/timeouts, doubled each time (default 500 ms) and capped at `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest `Retry-After` we honour; a longer one ends the retries (default 60 s). */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about each retry, for debug logging. */
  onRetry?: (reason: string, delayMs: number, attempt: number) => void;
}

/**
 * The back-off before retry number `attempt` (1-based): `baseDelayMs` doubled each time, capped at
 * `maxDelayMs`, with jitter in its upper half (so parallel jobs do not retry in step).
 */
export function backoffMs(
  attempt: number,
  baseDelayMs = 500,
  maxDelayMs = 8_000,
  random = Math.random,
): number {
  const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(backoff / 2 + (random() * backoff) / 2);
}

/**
 * The one retry loop: runs `attempt` until it is done or fails for good, at most `retries + 1`
 * times. A `retry` with `retryAfterMs` waits exactly that long (the server said when to come back);
 * others back off exponentially with jitter (`backoffMs`). A `TransportError` (timeout, refused
 * connection) counts as a retry. Throws the last failure, with the number of attempts in the message.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<Attempt<T>>,
  policy: RetryPolicy,
): Promise<T> {
  const { retries, baseDelayMs = 500, maxDelayMs = 8_000, maxRetryAfterMs = 60_000 } = policy;
  const wait = policy.sleep ?? sleep;
  for (let n = 1; ; n++) {
    let result: Attempt<T>;
    try {
      result = await attempt(n);
    } catch (err: unknown) {
      if (!(err instanceof TransportError)) throw err;
      result = { kind: 'retry', reason: err.message };
    }
    if (result.kind === 'done') return result.value;
    if (result.kind === 'fail') throw result.error;
    if (n > retries) throw new Error(`${result.reason} (gave up after ${n} attempts)`);
    if (result.retryAfterMs !== undefined && result.retryAfterMs > maxRetryAfterMs) {
      throw new Error(`${result.reason}: Retry-After ${result.retryAfterMs / 1000} s is longer than we wait`);
    }
    const delay = result.retryAfterMs ?? backoffMs(n, baseDelayMs, maxDelayMs);
    policy.onRetry?.(result.reason, delay, n);
    await wait(delay);
  }
}

/** `Retry-After` in milliseconds: delay-seconds (fractions accepted) or an HTTP date; default 1 s. */
export function retryAfterMs(headers: Headers, now = Date.now()): number {
  const value = headers.get('retry-after')?.trim();
  if (!value) return 1_000;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1_000 : Math.max(0, date - now);
}
