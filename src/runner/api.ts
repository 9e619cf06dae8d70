import { StepFailure, UserError } from '../core/errors.js';

/** A runner as the provider's API lists it. */
export interface ApiRunner {
  id: number;
  /** GitHub: the runner name; GitLab: the description (where we put the same name). */
  name: string;
  /** `online`, `offline` (GitHub); `online`, `offline`, `stale`, `never_contacted` (GitLab). */
  status: string;
}

/** A runner just registered: its id and the one secret the runner process needs. */
export interface Registered {
  id: number;
  name: string;
  /** GitHub: the encoded JIT config; GitLab: the `glrt-` runner authentication token. */
  secret: string;
}

/** The three calls the runner step makes, for either provider. */
export interface RunnerApi {
  readonly provider: 'github' | 'gitlab';
  /** Registers a runner with `name` that takes jobs for `labels` only. */
  register(name: string, labels: readonly string[]): Promise<Registered>;
  /** Deletes a runner; false when it was already gone (404). */
  remove(id: number): Promise<boolean>;
  /** Every runner in the scope (all pages). */
  list(): Promise<ApiRunner[]>;
}

/**
 * Turns a failed API call into an error that shows the API's own message (e.g. "Resource not
 * accessible by personal access token") and no stack: `UserError` for 401/403/404/422 (a token, scope
 * or id the user can fix), `StepFailure` otherwise. The text passes through `redact` first.
 */
export function apiError(
  service: 'GitHub' | 'GitLab',
  what: string,
  status: number | undefined,
  apiMessage: string,
  redact: (t: string) => string,
  tokenInput: string,
): Error {
  const message = redact(
    `${service} API: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${apiMessage.trim() || 'no message'}`,
  );
  if (status === 401 || status === 403) {
    return new UserError(`${message} — check the token's scopes`, { field: `input "${tokenInput}"` });
  }
  if (status === 404 || status === 422) return new UserError(message);
  return new StepFailure(message);
}

/** An API client's call wrapper: what a call throws becomes `apiError`'s error. */
export type ApiCall = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

/**
 * The one error path of both providers' clients: runs `fn` and turns what it throws into
 * `apiError(service, what, …)`, with the status and API message that `messageOf` reads from the
 * client library's own error shape.
 */
export function apiCaller(
  service: 'GitHub' | 'GitLab',
  tokenInput: string,
  redact: (t: string) => string,
  messageOf: (err: unknown) => { status?: number; text: string },
): ApiCall {
  return async (what, fn) => {
    try {
      return await fn();
    } catch (err: unknown) {
      const { status, text } = messageOf(err);
      throw apiError(service, what, status, text, redact, tokenInput);
    }
  };
}

/** Runs a DELETE: true when it removed something, false when the API says it was already gone (404). */
export async function removed(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err: unknown) {
    if (/\(HTTP 404\)/.test((err as Error).message)) return false;
    throw err;
  }
}
