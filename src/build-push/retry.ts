import { backoffMs } from '../io/retry.js';
import { sleep } from '../io/time.js';
import { ExecError } from '../core/exec.js';

/** How a failed registry operation should be treated. */
export type FailureKind = 'auth' | 'transient' | 'fatal';

const AUTH =
  /unauthorized|authentication required|no basic auth credentials|access (?:to the resource )?is denied|denied|\b40[13]\b|forbidden|incorrect username or password/i;
const TRANSIENT =
  /\b5\d\d\b|service unavailable|bad gateway|gateway time-?out|internal server error|too many requests|\b429\b|toomanyrequests|connection reset|connection refused|broken pipe|i\/o timeout|timed? ?out|tls handshake timeout|unexpected eof|\beof\b|temporary failure|net\/http: request canceled/i;

/**
 * Classifies a docker failure from its stderr. Auth failures win over everything else: retrying a
 * wrong password only locks accounts and wastes minutes.
 */
export function classifyFailure(stderr: string, timedOut = false): FailureKind {
  if (AUTH.test(stderr)) return 'auth';
  if (timedOut || TRANSIENT.test(stderr)) return 'transient';
  return 'fatal';
}

export interface RetryPolicy {
  /** Total attempts, including the first (≥ 1). */
  attempts: number;
  /** Delay before the second attempt; doubles each time up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests: a number in [0, 1). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Asked after an auth-looking failure: false when the registry itself is unhealthy. Docker reports a
   * 5xx on its `/v2/` ping as `401 Unauthorized` / `authentication required` (it then sends no
   * credentials), so such a failure is only final when the registry answers its ping normally.
   */
  authIsGenuine?: (message: string) => Promise<boolean>;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so parallel pushes spread out. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  return backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, policy.random);
}

/** The error of the last attempt, with what was tried and why it stopped. */
export class RetryError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(message);
    this.name = 'RetryError';
  }
}

/** The most useful line of a docker error: the last non-empty stderr line. */
export function lastLine(err: unknown): string {
  const text =
    err instanceof ExecError
      ? err.result.stderr.trim() || err.result.stdout.trim()
      : err instanceof Error
        ? err.message
        : String(err);
  return (
    text
      .split('\n')
      .filter((l) => l.trim())
      .pop() ?? '(no output)'
  );
}

/**
 * Runs `fn` until it succeeds, retrying transient registry failures with backoff. Auth and other
 * failures stop at once. Throws `RetryError` saying what failed, how often, and the last docker line.
 */
export async function withRetry<T>(
  what: string,
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry: (message: string) => void = () => undefined,
): Promise<T> {
  const wait = policy.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err: unknown) {
      const detail =
        err instanceof ExecError
          ? err.result.stderr.trim() || err.result.stdout
          : err instanceof Error
            ? err.message
            : String(err);
      let kind = classifyFailure(detail, err instanceof ExecError && err.result.timedOut);
      let line = lastLine(err);
      if (kind === 'auth' && policy.authIsGenuine && !(await policy.authIsGenuine(detail))) {
        kind = 'transient';
        line = `${line} (but the registry accepts these credentials or is unhealthy: a transient error)`;
      }
      if (kind === 'auth') {
        throw new RetryError(
          `${what} was refused by the registry (not retried): ${line}`,
          kind,
          attempt,
          err,
        );
      }
      if (kind === 'fatal') throw new RetryError(`${what} failed: ${line}`, kind, attempt, err);
      if (attempt >= policy.attempts) {
        throw new RetryError(
          `${what} failed after ${attempt} attempts on transient registry errors; last: ${line}`,
          kind,
          attempt,
          err,
        );
      }
      const delay = backoffDelay(attempt, policy);
      onRetry(`${what}: attempt ${attempt}/${policy.attempts} failed (${line}); retrying in ${delay} ms`);
      await wait(delay);
    }
  }
}
