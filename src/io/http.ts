import { http } from '../core/builtins.js';

/**
 * The one HTTP client below the steps (on Node's fetch). Every request has a time limit that also
 * covers the body; a failure that got no response is a `TransportError` whose message says what kind
 * of failure it was and never the URL or a header (URLs carry tokens: Slack webhooks, registry
 * realms). Retries are `withRetries` in ./retry.ts. Callers describe the endpoint in their own
 * errors with a label that holds no secret.
 *
 * Not used by smoke's load generator (src/smoke/raw.ts, load.ts, threads.ts): it writes requests on
 * raw sockets to reach wrk-like rates, which fetch's per-request cost (~10× a raw write) cannot.
 */

/** The time limit of a request when the caller gives none. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface RequestOptions {
  method?: string;
  /** Request headers (e.g. `Authorization`). Never logged. */
  headers?: Record<string, string>;
  body?: string;
  /** For the whole exchange, body included (default 30 s). */
  timeoutMs?: number;
  /** `manual`: a 3xx is the answer (default: follow). */
  redirect?: 'follow' | 'manual' | 'error';
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

/** fetch's failure as a `TransportError` without the URL (or an Error for a URL that cannot work). */
function transportError(err: unknown, timeoutMs: number): Error {
  const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
  // fetch's own message and cause name the host; say only what kind of failure it was.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
  const code = (cause as { code?: string } | undefined)?.code;
  // A URL fetch cannot parse will never work: fail at once, without repeating the (secret) URL.
  if (err instanceof TypeError && /parse URL/i.test(err.message)) return new Error('the URL is not valid');
  const why = timedOut ? `no response within ${timeoutMs} ms` : (code ?? 'connection failed');
  return new TransportError(why, timedOut);
}

/**
 * One HTTP request; resolves with the response (any status) once its body is read. Throws
 * `TransportError` when no response came within `timeoutMs` (default 30 s) or the connection failed.
 */
export async function httpRequest(url: string | URL, options: RequestOptions = {}): Promise<HttpResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      redirect: options.redirect,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Inside the try: the time limit also covers a body that trickles in or never ends.
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (err: unknown) {
    throw transportError(err, timeoutMs);
  }
}

/** POSTs `body` as JSON (UTF-8) and returns the raw response; throws `TransportError` when no response came. */
export function postJson(
  url: string,
  body: unknown,
  options: { headers?: Record<string, string>; timeoutMs: number },
): Promise<HttpResponse> {
  return httpRequest(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...options.headers },
    body: JSON.stringify(body),
    timeoutMs: options.timeoutMs,
  });
}

export interface ProbeOptions extends Omit<RequestOptions, 'method' | 'body'> {
  /** Which statuses count as answering (default: below 400). */
  ok?: (status: number) => boolean;
}

/**
 * Does `url` answer? One GET; true when a response came within the time limit with a status `ok`
 * accepts. Never throws: a timeout or network error is false. The body is not read.
 */
export async function answers(url: string | URL, options: ProbeOptions = {}): Promise<boolean> {
  const ok = options.ok ?? ((status: number) => status < 400);
  try {
    const response = await fetch(url, {
      headers: options.headers,
      redirect: options.redirect,
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return ok(response.status);
  } catch {
    return false;
  }
}

/**
 * A `fetch` for API clients that take one (Octokit's `request.fetch`): the same fetch, with a time
 * limit always (`timeoutMs`, default 30 s) besides any signal the client passes. A hung API must fail
 * the step, not the job's 6-hour limit.
 */
export function timedFetch(timeoutMs = DEFAULT_TIMEOUT_MS): typeof fetch {
  return (input, init = {}) => {
    const limit = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, limit]) : limit;
    return fetch(input, { ...init, signal });
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * GET on a new connection each time (no keep-alive pool): a pooled socket that an nginx reload
 * closed while idle would fail the next request for reasons that are not the target's fault. On
 * node:http rather than fetch because it can connect to a unix socket (a load balancer's admin
 * socket). Rejects on a timeout (default 5 s) or a connection error.
 */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 5000,
  /** Connect to this unix socket instead of the URL's host (the URL still gives the path). */
  socketPath?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http().get(
      url,
      { agent: false, socketPath, headers: { ...headers, connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
