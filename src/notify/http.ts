/**
 * The notify step's network seam is the shared I/O layer (src/io): one JSON POST with a timeout, and
 * the retry loop that honours `Retry-After` on 429 and backs off on 5xx, timeouts and connection
 * errors. Nothing there logs a URL or a header: callers describe the endpoint with a `label`.
 */
export { postJson, TransportError, type HttpResponse } from '../io/http.js';
export { retryAfterMs, withRetries, type Attempt, type RetryPolicy } from '../io/retry.js';
