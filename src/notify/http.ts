/**
 * The notify step's only network seam: one JSON POST with a timeout, and a bounded retry loop that
 * honours `Retry-After` on 429 and backs off on 5xx, timeouts and connection errors. Nothing here
 * logs a URL or a header: callers describe the endpoint with a `label` that holds no secret.
 */

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface PostOptions {
  /** Extra request headers (e.g. `Authorization`). Never logged. */
  headers?: Record<string, string>;
  timeoutMs: number;
}

/** A request that could not complete (timeout, refused connection); the message holds no URL. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** POSTs `body` as JSON (UTF-8) and returns the raw response; throws `TransportError` when no response came. */
export async function postJson(url: string, body: unknown, options: PostOptions): Promise<HttpResponse> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // Inside the try: the time limit also covers a body that trickles in or never ends.
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (err: unknown) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    // fetch's own message and cause name the host; say only what kind of failure it was.
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
    const code = (cause as { code?: string } | undefined)?.code;
    // A URL fetch cannot parse will never work: fail at once, without repeating the (secret) URL.
    if (err instanceof TypeError && /parse URL/i.test(err.message)) throw new Error('the URL is not valid');
    const why = timedOut ? `no response within ${options.timeoutMs} ms` : (code ?? 'connection failed');
    throw new TransportError(why, timedOut);
  }
}

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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it is done or fails for good, at most `retries + 1` times. A `retry` with
 * `retryAfterMs` waits exactly that long (Slack's rate limiter says when to come back); others back
 * off exponentially with jitter. Throws the last failure, with the number of attempts in the message.
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
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1));
    const delay = result.retryAfterMs ?? Math.round(backoff / 2 + (Math.random() * backoff) / 2);
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
