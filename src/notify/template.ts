import { parseDocument } from 'yaml';
import { UserError, type Location } from '../core/errors.js';
import type { Env, RunContext } from '../platform/context.js';
import { escapeMrkdwn } from './messages.js';
import type { SlackMessage } from './slack.js';

/** A custom payload as the user gave it: inline text, or a file's content and path. */
export interface PayloadSource {
  text: string;
  /** Set when the payload came from a file: errors then point at `file:line`. */
  file?: string;
  /** The input it came from, for error messages (`input "payload"`). */
  field: string;
}

/** What placeholders can name, besides `env.*`. Values may be empty (a tag on a branch build). */
export type TemplateValues = ReadonlyMap<string, string>;

/**
 * The placeholder values: `ci.*` (platform-neutral run context), `github.*` (the common GitHub names,
 * also filled on GitLab), `notify.*` (this step's event facts) and `vars.*` (the `vars` input).
 */
export function templateValues(
  ctx: RunContext,
  notify: Record<string, string>,
  vars: Record<string, string>,
): TemplateValues {
  const ref = ctx.tag ?? ctx.branch ?? '';
  const ci: Record<string, string | undefined> = {
    platform: ctx.ci,
    repository: ctx.repository,
    sha: ctx.sha,
    short_sha: ctx.sha.slice(0, 7),
    ref,
    branch: ctx.branch,
    tag: ctx.tag,
    // Escaped: anyone who can push chooses it, and `<!channel>` in a commit title must not ping anyone.
    commit_title: ctx.commitTitle === undefined ? undefined : escapeMrkdwn(ctx.commitTitle),
    actor: ctx.actor,
    run_id: ctx.runId,
    run_attempt: ctx.attempt,
    run_url: ctx.runUrl,
    job_url: ctx.jobUrl,
    job_name: ctx.jobName,
    pull_request: ctx.pullRequest,
    server_url: ctx.serverUrl,
  };
  const github: Record<string, string | undefined> = {
    repository: ctx.repository,
    sha: ctx.sha,
    ref_name: ref,
    actor: ctx.actor,
    run_id: ctx.runId,
    run_attempt: ctx.attempt,
    server_url: ctx.serverUrl,
    job: ctx.jobName,
  };
  const out = new Map<string, string>();
  const add = (prefix: string, values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) out.set(`${prefix}.${k}`, v ?? '');
  };
  add('ci', ci);
  add('github', github);
  add('notify', notify);
  add('vars', vars);
  return out;
}

const PLACEHOLDER = /\$\{\{([\s\S]*?)\}\}/g;
const NAME = /^[A-Za-z_][\w-]*(\.[\w-]+)+$/;

interface Resolver {
  values: TemplateValues;
  env: Env;
  /** Values that must never reach Slack (the token, the webhook URL). */
  secrets: readonly string[];
}

function resolve(expr: string, r: Resolver): string | { error: string } {
  const name = expr.trim();
  if (!NAME.test(name))
    return { error: `unsupported placeholder "\${{${expr}}}" (write \${{ ci.sha }}, \${{ vars.name }}, …)` };
  if (name.startsWith('env.')) {
    const value = r.env[name.slice(4)];
    if (value === undefined)
      return {
        error: `unknown placeholder "\${{ ${name} }}" (environment variable ${name.slice(4)} is not set)`,
      };
    if (r.secrets.some((s) => s && value.includes(s)))
      return {
        error: `placeholder "\${{ ${name} }}" holds the Slack token or webhook URL; refusing to send it`,
      };
    return value;
  }
  const value = r.values.get(name);
  if (value !== undefined) return value;
  const prefix = name.split('.')[0];
  const near = [...r.values.keys()].filter((k) => k.startsWith(`${prefix}.`)).slice(0, 12);
  const known = near.length
    ? `known: ${near.join(', ')}`
    : 'names start with ci., github., notify., vars. or env.';
  return { error: `unknown placeholder "\${{ ${name} }}" (${known})` };
}

function where(source: PayloadSource, index: number): Location & { text: string } {
  const before = source.text.slice(0, index);
  const line = before.split('\n').length;
  const col = index - before.lastIndexOf('\n');
  if (source.file) return { file: source.file, line, col, field: source.field, text: '' };
  return { field: source.field, text: ` (line ${line}, column ${col})` };
}

/** Throws a `UserError` for the first placeholder in the raw text that cannot be filled, with its line. */
function checkPlaceholders(source: PayloadSource, r: Resolver): void {
  for (const m of source.text.matchAll(PLACEHOLDER)) {
    const result = resolve(m[1], r);
    if (typeof result === 'string') continue;
    const { text, ...loc } = where(source, m.index);
    throw new UserError(result.error + text, loc);
  }
}

function parse(source: PayloadSource): unknown {
  const trimmed = source.text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(source.text) as unknown;
    } catch (err: unknown) {
      const msg = err instanceof Error ? err.message : String(err);
      const pos = Number(/position (\d+)/.exec(msg)?.[1] ?? NaN);
      const { text, ...loc } = Number.isNaN(pos)
        ? { text: '', field: source.field, file: source.file }
        : where(source, pos);
      throw new UserError(
        `payload is not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}${text}`,
        loc,
      );
    }
  }
  const doc = parseDocument(source.text, { uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const pos = problem.pos[0];
    const { text, ...loc } = where(source, pos);
    throw new UserError(`payload is not valid YAML: ${problem.message.split('\n')[0]}${text}`, loc);
  }
  return doc.toJS() as unknown;
}

function fill(value: unknown, r: Resolver): unknown {
  if (typeof value === 'string') {
    // Filled after parsing, so quotes and newlines in a commit title cannot break the payload's syntax.
    return value.replace(PLACEHOLDER, (_all, expr: string) => resolve(expr, r) as string);
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, r));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, r)]));
  }
  return value;
}

function checkShape(payload: unknown, source: PayloadSource): SlackMessage {
  const loc = { file: source.file, field: source.field };
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new UserError('payload must be a message object with text, blocks or attachments', loc);
  }
  const msg = payload as SlackMessage;
  if (msg.text === undefined && msg.blocks === undefined && msg.attachments === undefined) {
    throw new UserError('payload needs "text", "blocks" or "attachments"', loc);
  }
  if (msg.text !== undefined && typeof msg.text !== 'string')
    throw new UserError('payload "text" must be a string', loc);
  for (const key of ['blocks', 'attachments'] as const) {
    const list = msg[key];
    if (list !== undefined && !Array.isArray(list))
      throw new UserError(`payload "${key}" must be a list`, loc);
  }
  const blockLists: [string, unknown[]][] = [['blocks', msg.blocks ?? []]];
  (msg.attachments ?? []).forEach((a, i) =>
    blockLists.push([`attachments[${i}].blocks`, (a?.blocks as unknown[]) ?? []]),
  );
  for (const [path, blocks] of blockLists) {
    blocks.forEach((b, i) => {
      if (!b || typeof b !== 'object' || typeof (b as { type?: unknown }).type !== 'string') {
        throw new UserError(
          `payload ${path}[${i}] needs a "type" (section, header, context, actions, …)`,
          loc,
        );
      }
    });
  }
  return msg;
}

/**
 * Parses a JSON or YAML payload, fills its `${{ name }}` placeholders in string values, and checks it
 * is a message. Throws `UserError` naming the file and line for bad syntax or an unknown placeholder.
 */
export function renderPayload(
  source: PayloadSource,
  values: TemplateValues,
  env: Env,
  secrets: readonly string[],
): SlackMessage {
  const r: Resolver = { values, env, secrets };
  checkPlaceholders(source, r);
  return checkShape(fill(parse(source), r), source);
}
