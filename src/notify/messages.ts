import { notifyInterface } from '../generated/notify.js';
import type { RunContext } from '../platform/context.js';
import { cutText } from './limits.js';
import type { Block, SlackMessage } from './slack.js';

/** The stages of a pipeline/deploy that have a ready-made message: the `event` input's values, from actions/notify/action.yml. */
export const EVENTS = notifyInterface.inputs.event.options;
export type NotifyEvent = (typeof EVENTS)[number];

interface EventStyle {
  emoji: string;
  label: string;
  /** Attachment colour bar: yellow while in progress, green/orange/red at the end. */
  color: string;
}

export const EVENT_STYLE: Record<NotifyEvent, EventStyle> = {
  started: { emoji: ':rocket:', label: 'Started', color: '#ECB22E' },
  built: { emoji: ':package:', label: 'Built', color: '#ECB22E' },
  'smoke-passed': { emoji: ':white_check_mark:', label: 'Smoke tests passed', color: '#ECB22E' },
  'awaiting-promotion': { emoji: ':hourglass_flowing_sand:', label: 'Awaiting promotion', color: '#439FE0' },
  promoted: { emoji: ':large_green_circle:', label: 'Promoted', color: '#2EB67D' },
  'rolled-back': { emoji: ':rewind:', label: 'Rolled back', color: '#E8912D' },
  failed: { emoji: ':x:', label: 'Failed', color: '#E01E5A' },
  cancelled: { emoji: ':no_entry_sign:', label: 'Cancelled', color: '#868686' },
  succeeded: { emoji: ':white_check_mark:', label: 'Succeeded', color: '#2EB67D' },
};

/** What a ready-made message shows besides the run context. All optional. */
export interface MessageFacts {
  title?: string;
  environment?: string;
  environmentUrl?: string;
  versionBefore?: string;
  versionAfter?: string;
  durationMs?: number;
  /**
   * Text shown under the fields (e.g. the smoke summary): mrkdwn styling (`*bold*`, code) works, but
   * `&`, `<`, `>` are escaped, so it cannot ping (`<!channel>`) or link. Raw mrkdwn: a custom payload.
   */
  text?: string;
  jobUrl?: string;
  /** Who to ping when the event is failed or rolled-back: `@here`, `@channel`, `<@U…>`, `<!subteam^S…>`. */
  mention?: string;
}

const ALERT_EVENTS: ReadonlySet<NotifyEvent> = new Set(['failed', 'rolled-back']);

/** `@here`/`@channel`/`@everyone` as Slack's special mentions; anything else as given (`<@U123>`). */
function slackMention(text: string): string {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((m) => (/^@(here|channel|everyone)$/.test(m) ? `<!${m.slice(1)}>` : m))
    .join(' ');
}

/** Escapes the three characters Slack's mrkdwn treats as markup (`&`, `<`, `>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>` when there is a URL, else the escaped label. Pipes in labels would end the link. */
function link(url: string | undefined, label: string): string {
  const text = escapeMrkdwn(label);
  return url ? `<${url.replace(/[<>|]/g, encodeURIComponent)}|${text.replace(/\|/g, '¦')}>` : text;
}

/** `1h 02m`, `3m 12s` or `45s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Links to the repository and the commit on GitHub or GitLab; none locally. */
export function sourceUrls(ctx: RunContext): { repo?: string; commit?: string } {
  if (!ctx.serverUrl || !ctx.repository) return {};
  const repo = `${ctx.serverUrl.replace(/\/+$/, '')}/${ctx.repository}`;
  if (!ctx.sha) return { repo };
  return { repo, commit: ctx.ci === 'gitlab' ? `${repo}/-/commit/${ctx.sha}` : `${repo}/commit/${ctx.sha}` };
}

function field(label: string, value: string): Record<string, string> {
  return { type: 'mrkdwn', text: `*${label}*\n${value}` };
}

function button(text: string, url: string, style?: 'primary'): Record<string, unknown> {
  return {
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    url,
    ...(style ? { style } : {}),
  };
}

/**
 * The ready-made Block Kit message for `event`: a header with emoji and status, the facts as fields
 * (repository, ref, commit, trigger, environment, versions, duration), optional text, and buttons to
 * the run/pipeline, the job and the environment; `mention` only on failed / rolled-back. The body sits
 * in an attachment to get the colour bar; `text` is the plain fallback for notifications.
 * User-controlled strings are escaped.
 */
export function eventMessage(event: NotifyEvent, ctx: RunContext, facts: MessageFacts): SlackMessage {
  const style = EVENT_STYLE[event];
  const name = facts.title ?? (ctx.repository || 'shipkit');
  const where = facts.environment ? ` · ${facts.environment}` : '';
  const ref = ctx.tag ?? ctx.branch;
  const sha = ctx.sha.slice(0, 7);
  const urls = sourceUrls(ctx);

  const fields = [field('Status', `${style.emoji} ${style.label}`)];
  if (ctx.repository) fields.push(field('Repository', link(urls.repo, ctx.repository)));
  if (ref) fields.push(field(ctx.tag ? 'Tag' : 'Branch', `\`${escapeMrkdwn(ref)}\``));
  if (sha) {
    const title = ctx.commitTitle ? ` ${escapeMrkdwn(ctx.commitTitle)}` : '';
    fields.push(field('Commit', `${link(urls.commit, sha)}${title}`));
  }
  if (ctx.actor) fields.push(field('Triggered by', escapeMrkdwn(ctx.actor)));
  if (facts.environment) fields.push(field('Environment', link(facts.environmentUrl, facts.environment)));
  if (facts.versionBefore || facts.versionAfter) {
    const before = escapeMrkdwn(facts.versionBefore ?? '—');
    fields.push(field('Version', `\`${before}\` → \`${escapeMrkdwn(facts.versionAfter ?? '—')}\``));
  }
  if (facts.durationMs !== undefined) fields.push(field('Duration', formatDuration(facts.durationMs)));

  const header: Block = {
    type: 'header',
    text: { type: 'plain_text', text: `${style.emoji} ${name}${where} — ${style.label}`, emoji: true },
  };
  const blocks: Block[] = [{ type: 'section', fields: fields.slice(0, 10) }];
  const mention = ALERT_EVENTS.has(event) && facts.mention ? slackMention(facts.mention) : '';
  if (mention) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${mention} ${style.label}` } });
  if (facts.text) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(facts.text) } });

  const buttons = [];
  const jobUrl = facts.jobUrl ?? ctx.jobUrl;
  if (ctx.runUrl)
    buttons.push(button(ctx.ci === 'gitlab' ? 'View pipeline' : 'View run', ctx.runUrl, 'primary'));
  if (jobUrl) buttons.push(button('View job', jobUrl));
  if (facts.environmentUrl)
    buttons.push(button(`Open ${facts.environment ?? 'environment'}`, facts.environmentUrl));
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });

  const run =
    ctx.ci === 'gitlab'
      ? `GitLab pipeline ${ctx.runId}`
      : ctx.ci === 'github'
        ? `GitHub Actions run ${ctx.runId}`
        : 'local run';
  const job = ctx.jobName ? ` · job ${escapeMrkdwn(ctx.jobName)}` : '';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${run}${job} · shipkit notify` }] });

  const refText = ref || sha ? ` (${[ref, sha].filter(Boolean).join('@')})` : '';
  // The fallback is mrkdwn too (it drives the notification): user text in it is escaped like the blocks.
  const text = `${mention ? `${mention} ` : ''}${style.emoji} ${escapeMrkdwn(`${name}${where}`)} — ${style.label}${escapeMrkdwn(refText)}`;
  // The header sits at the top level so Slack shows it instead of `text` (then only the notification
  // fallback); the rest sits in an attachment, the only way to get a colour bar.
  return { text, blocks: [header], attachments: [{ color: style.color, blocks }] };
}

/** A thread reply with step details (escaped: `&`, `<`, `>`), in a section and as the fallback. */
export function detailsMessage(details: string): SlackMessage {
  const text = escapeMrkdwn(details);
  // The fallback only feeds the notification preview: a short cut keeps the message small.
  return {
    text: cutText(text, 300),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
