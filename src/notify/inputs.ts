import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { InputReader } from '../core/inputs.js';
import { stepReader, type StepReader } from '../core/interface.js';
import { notifyInterface } from '../generated/notify.js';
import { EVENTS, type NotifyEvent } from './messages.js';
import type { PayloadSource } from './template.js';
import { processEnv, type Env } from '../platform/context.js';

/** Input names, exactly as in actions/notify/action.yml. */
export const Inputs = {
  token: 'token',
  webhookUrl: 'webhook-url',
  channel: 'channel',
  channelId: 'channel-id',
  ts: 'ts',
  threadTs: 'thread-ts',
  event: 'event',
  title: 'title',
  message: 'message',
  details: 'details',
  environment: 'environment',
  environmentUrl: 'environment-url',
  versionBefore: 'version-before',
  versionAfter: 'version-after',
  duration: 'duration',
  jobUrl: 'job-url',
  mention: 'mention-on-failure',
  payload: 'payload',
  payloadFile: 'payload-file',
  vars: 'vars',
  apiUrl: 'slack-api-url',
  failOnError: 'fail-on-error',
  retries: 'retries',
  timeout: 'timeout',
} as const;

/** Output names, as in action.yml (snake_case, like slack-github-action's). */
export const Outputs = { ok: 'ok', ts: 'ts', threadTs: 'thread_ts', channelId: 'channel_id' } as const;

export interface NotifyInputs {
  token?: string;
  webhookUrl?: string;
  /** Channel ID (preferred, needed to update) or name. */
  channel?: string;
  ts?: string;
  threadTs?: string;
  event?: NotifyEvent;
  title?: string;
  message?: string;
  details?: string;
  environment?: string;
  environmentUrl?: string;
  versionBefore?: string;
  versionAfter?: string;
  durationMs?: number;
  jobUrl?: string;
  mention?: string;
  payload?: PayloadSource;
  vars: Record<string, string>;
  apiUrl: string;
  failOnError: boolean;
  retries: number;
  timeoutMs: number;
  /** The environment `{{ env.NAME }}` placeholders and the run context read (taken in getInputs). */
  env: Env;
}

const TS = /^\d{1,12}\.\d{1,9}$/;
const CHANNEL_ID = /^[CGDZ][A-Z0-9]{6,}$/;

function fail(input: string, message: string): never {
  throw new UserError(message, { field: `input "${input}"` });
}

function url(
  reader: StepReader<typeof notifyInterface>,
  name: keyof typeof notifyInterface.inputs,
): string | undefined {
  const value = reader.optional(name);
  if (value !== undefined && !/^https?:\/\/[^\s]+$/.test(value)) fail(name, 'expected an http(s) URL');
  return value;
}

/** `key=value` lines, or a JSON object, into string values. */
function parseVars(text: string | undefined): Record<string, string> {
  if (!text) return {};
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err: unknown) {
      fail(Inputs.vars, `not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      fail(Inputs.vars, 'expected a JSON object');
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = line.slice(0, Math.max(eq, 0)).trim();
    if (eq <= 0 || !/^[\w-]+$/.test(key))
      fail(Inputs.vars, `line ${i + 1}: expected key=value (key of letters, digits, _ or -)`);
    out[key] = line.slice(eq + 1).trim();
  });
  return out;
}

function payload(reader: StepReader<typeof notifyInterface>): PayloadSource | undefined {
  const inline = reader.optional(Inputs.payload);
  const file = reader.optional(Inputs.payloadFile);
  if (inline && file) fail(Inputs.payload, `give either payload or payload-file, not both`);
  if (inline) return { text: inline, field: `input "${Inputs.payload}"` };
  if (!file) return undefined;
  try {
    return { text: readFileSync(file, 'utf8'), file, field: `input "${Inputs.payloadFile}"` };
  } catch (err: unknown) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw new UserError(`cannot read the payload file (${code})`, {
      file,
      field: `input "${Inputs.payloadFile}"`,
    });
  }
}

/**
 * Reads and validates the notify inputs. Error messages never repeat the token or the webhook URL.
 * Missing credentials are allowed here (fork PRs have no secrets): the step then warns and skips.
 * `token` and `webhook-url` default to `SLACK_BOT_TOKEN` and `SLACK_WEBHOOK_URL` from `env`.
 */
export function getInputs(given: InputReader, env: Env = processEnv()): NotifyInputs {
  const reader = stepReader(given, notifyInterface);
  // Fallbacks for GitLab, where a masked CI/CD variable beats a token on the command line.
  const token = reader.optional(Inputs.token) ?? (env.SLACK_BOT_TOKEN?.trim() || undefined);
  if (token !== undefined && !/^xox[a-z]-\S+$/.test(token)) {
    fail(
      Inputs.token,
      'expected a Slack token starting with xoxb- (bot) or xoxp- (user) (input or SLACK_BOT_TOKEN)',
    );
  }
  const webhookUrl = url(reader, Inputs.webhookUrl) ?? (env.SLACK_WEBHOOK_URL?.trim() || undefined);
  if (webhookUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(webhookUrl)) {
    fail(Inputs.webhookUrl, 'expected an http(s) URL (input or SLACK_WEBHOOK_URL)');
  }
  const channel = reader.optional(Inputs.channelId) ?? reader.optional(Inputs.channel);
  const ts = reader.optional(Inputs.ts);
  const threadTs = reader.optional(Inputs.threadTs);
  if (ts && !TS.test(ts))
    fail(Inputs.ts, `expected a message timestamp such as 1712345678.123456, got "${ts}"`);
  if (threadTs && !TS.test(threadTs))
    fail(Inputs.threadTs, `expected a message timestamp such as 1712345678.123456, got "${threadTs}"`);
  if (token && !channel)
    fail(Inputs.channel, 'is required with a token (a channel ID such as C0123456789, or #name)');
  if (token && ts && channel && !CHANNEL_ID.test(channel)) {
    fail(
      Inputs.channelId,
      `updating a message needs the channel ID (the channel_id output of the step that posted it), got "${channel}"`,
    );
  }
  const eventText = reader.optional(Inputs.event);
  const inputs: NotifyInputs = {
    token,
    webhookUrl,
    channel,
    ts,
    threadTs,
    event: eventText === undefined ? undefined : reader.choice(Inputs.event),
    title: reader.optional(Inputs.title),
    message: reader.optional(Inputs.message),
    details: reader.optional(Inputs.details),
    environment: reader.optional(Inputs.environment),
    environmentUrl: url(reader, Inputs.environmentUrl),
    versionBefore: reader.optional(Inputs.versionBefore),
    versionAfter: reader.optional(Inputs.versionAfter),
    durationMs: reader.optional(Inputs.duration) === undefined ? undefined : reader.duration(Inputs.duration),
    jobUrl: url(reader, Inputs.jobUrl),
    mention: reader.optional(Inputs.mention),
    payload: payload(reader),
    vars: parseVars(reader.optional(Inputs.vars)),
    // Never undefined: action.yml gives slack-api-url a default.
    apiUrl: url(reader, Inputs.apiUrl)!,
    failOnError: reader.bool(Inputs.failOnError),
    retries: reader.int(Inputs.retries, { min: 0, max: 20 }),
    timeoutMs: reader.duration(Inputs.timeout),
    env,
  };
  if (inputs.payload && inputs.event)
    fail(Inputs.event, 'give either event (a ready-made message) or payload/payload-file, not both');
  if (!inputs.payload && !inputs.event && !inputs.details) {
    fail(Inputs.event, `set event (${EVENTS.join(', ')}), payload, payload-file or details`);
  }
  return inputs;
}
