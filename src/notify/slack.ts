import {
  postJson,
  retryAfterMs,
  withRetries,
  type Attempt,
  type HttpResponse,
  type RetryPolicy,
} from './http.js';

/** A Slack message body: `text` fallback plus Block Kit `blocks` and/or legacy `attachments`. */
export interface SlackMessage {
  text?: string;
  blocks?: Block[];
  attachments?: Attachment[];
  [key: string]: unknown;
}
export type Block = Record<string, unknown> & { type: string };
export type Attachment = Record<string, unknown> & { color?: string; blocks?: Block[] };

/** Slack said no (`{ok:false,error}` or a webhook's error body), or we gave up retrying. */
export class SlackError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SlackError';
  }
}

// Errors Slack documents as transient: worth another attempt, like a 5xx.
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

const HINTS: Record<string, string> = {
  not_authed: 'no token was sent',
  invalid_auth: 'the token is not valid (check the secret; a bot token starts with xoxb-)',
  token_revoked: 'the token has been revoked',
  token_expired: 'the token has expired',
  account_inactive: 'the token belongs to a deleted user or app',
  missing_scope: 'the app lacks the chat:write scope',
  channel_not_found:
    'the channel does not exist or the app cannot see it (invite the app; chat.update needs the channel ID from the channel_id output, not a name)',
  not_in_channel: 'the app is not in the channel (invite it with /invite @app)',
  is_archived: 'the channel is archived',
  message_not_found:
    'no message with this ts in this channel (pass the ts and channel_id outputs of the step that posted it)',
  cant_update_message: 'an app can only update messages it posted itself',
  no_text: 'the message has no text, blocks or attachments',
  msg_too_long: 'the message text is too long',
  msg_blocks_too_long: 'the blocks hold too much text in total',
  invalid_payload: 'the payload is not valid JSON or not a message',
  no_service: 'the webhook URL is unknown or was revoked',
  action_prohibited: 'an admin has restricted posting to this channel',
  channel_is_archived: 'the channel is archived',
};

function describe(code: string, details: string[] = []): string {
  const hint = HINTS[code] ? ` — ${HINTS[code]}` : '';
  const more = details.length ? ` (${details.slice(0, 5).join('; ')})` : '';
  return `${code}${hint}${more}`;
}

export interface ClientOptions {
  timeoutMs: number;
  retry: RetryPolicy;
}

interface ApiBody {
  ok?: boolean;
  error?: string;
  channel?: string;
  ts?: string;
  response_metadata?: { messages?: string[]; warnings?: string[] };
}

/** Where a posted or updated message lives. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * A minimal Slack Web API client for `chat.postMessage` and `chat.update`. Rate limits (429 with
 * `Retry-After`), 5xx, timeouts and transient `ok:false` errors are retried per `retry`.
 */
export class SlackApi {
  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
    private readonly options: ClientOptions,
  ) {}

  /** Calls `method` (e.g. `chat.postMessage`) with a JSON body; throws `SlackError` on `ok:false`. */
  async call(method: string, body: Record<string, unknown>): Promise<MessageRef> {
    const url = `${this.apiUrl.replace(/\/+$/, '')}/${method}`;
    return withRetries(async (): Promise<Attempt<MessageRef>> => {
      const res = await postJson(url, body, {
        headers: { Authorization: `Bearer ${this.token}` },
        timeoutMs: this.options.timeoutMs,
      });
      const transient = transientStatus(method, res);
      if (transient) return transient;
      let parsed: ApiBody;
      try {
        parsed = JSON.parse(res.body) as ApiBody;
      } catch {
        return fail('bad_response', `${method}: HTTP ${res.status} with a body that is not JSON`);
      }
      if (parsed.ok === true)
        return { kind: 'done', value: { channel: parsed.channel ?? '', ts: parsed.ts ?? '' } };
      const code = parsed.error ?? 'unknown_error';
      if (TRANSIENT.has(code)) return { kind: 'retry', reason: `${method}: ${code}` };
      return fail(code, `${method}: ${describe(code, parsed.response_metadata?.messages)}`);
    }, this.options.retry).catch(asSlackError);
  }
}

/** Posts to an incoming webhook, which answers `ok` or an error word. Never puts the URL in an error. */
export async function postWebhook(url: string, message: SlackMessage, options: ClientOptions): Promise<void> {
  await withRetries(async (): Promise<Attempt<void>> => {
    const res = await postJson(url, message, { timeoutMs: options.timeoutMs });
    const transient = transientStatus('webhook', res);
    if (transient) return transient;
    const text = res.body.trim();
    if (res.status >= 200 && res.status < 300 && text === 'ok') return { kind: 'done', value: undefined };
    const code = /^[a-z_]+$/.test(text) ? text : `http_${res.status}`;
    return fail(code, `webhook: ${describe(code)}`);
  }, options.retry).catch(asSlackError);
}

function transientStatus(what: string, res: HttpResponse): Attempt<never> | undefined {
  if (res.status === 429) {
    return {
      kind: 'retry',
      reason: `${what}: rate limited (HTTP 429)`,
      retryAfterMs: retryAfterMs(res.headers),
    };
  }
  if (res.status >= 500) return { kind: 'retry', reason: `${what}: HTTP ${res.status}` };
  return undefined;
}

function fail(code: string, message: string): Attempt<never> {
  return { kind: 'fail', error: new SlackError(code, message) };
}

function asSlackError(err: unknown): never {
  if (err instanceof SlackError) throw err;
  throw new SlackError('request_failed', err instanceof Error ? err.message : String(err));
}
