/**
 * The job summary of a blue-green command (deploy, promote, rollback, status): each colour with
 * image, version, replicas and health; what switched and when, and how long the switch took; the
 * smoke tests; a Mermaid gantt chart of the steps with their durations; for `status`, the history.
 * Rendered from the command's {@link Journal} and status report; every user value is escaped for
 * Markdown, and for the Mermaid block only a safe alphabet is kept.
 */
import { resolve } from 'node:path';
import { mdCode, mdFence, mdJoin, mdTable, mdText, safeMd, type Markdown } from '../platform/markdown.js';
import type { Platform } from '../platform/types.js';
import { historyMarkdown } from './history.js';
import type { Journal, JournalStep } from './journal.js';
import type { Colour } from './state.js';
import type { StatusReport } from './commands.js';

export interface SummaryInput {
  command: string;
  name: string;
  lb: string;
  /** Replicas wanted per colour. */
  replicas: number;
  outcome: 'ok' | 'failed';
  /** The error a failed command ended with. */
  error?: string;
  /** The status after the command; missing when it could not be read. */
  status?: StatusReport;
  journal: Pick<Journal, 'steps' | 'smokes' | 'switches' | 'startedAt'>;
  totalMs: number;
}

/** Default file the summary is written to off GitHub (a GitLab report artifact, or for the CLI user). */
export const SUMMARY_FILE = 'shipkit-bluegreen-summary.md';

const COLOURS: readonly Colour[] = ['blue', 'green'];
const NONE = safeMd`-`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Text for a Mermaid label: letters, digits and ` ._()/+-` only. Anything else (`:` and `;` end a
 * task, `#` starts an entity, `%` a directive, `<` HTML, a line break a new statement) is a space.
 */
export function mermaidText(text: string, max = 60): string {
  const out = text
    .replace(/[^A-Za-z0-9 ._()/+-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
  return out || '-';
}

/** A gantt chart of the steps (ms since the command started), and the switch as a milestone. */
export function timelineChart(input: SummaryInput): Markdown {
  const lines = [
    'gantt',
    `    title ${mermaidText(`${input.command} ${input.name}`)} (${secs(input.totalMs).replace(' ', '')} in all)`,
    '    dateFormat x',
    '    axisFormat %S.%L s',
    `    section ${mermaidText(input.command)}`,
  ];
  input.journal.steps.forEach((s: JournalStep, i) => {
    const end = Math.max(s.endMs, s.startMs + 1);
    lines.push(
      `    ${mermaidText(`${s.name} ${s.endMs - s.startMs} ms`)} :${s.ok ? 'done' : 'crit'}, s${i}, ${s.startMs}, ${end}`,
    );
  });
  input.journal.switches.forEach((w, i) => {
    lines.push(
      `    ${mermaidText(`live on ${w.reverted ? (w.from ?? 'nothing') : w.to}`)} :milestone, m${i}, ${w.sinceStartMs}, ${w.sinceStartMs + 1}`,
    );
  });
  return mdFence('mermaid', lines.join('\n'));
}

function coloursTable(input: SummaryInput): Markdown {
  const st = input.status;
  if (!st) return safeMd`_The state and the replicas could not be read after the command._`;
  const role = (c: Colour) =>
    [
      st.live === c ? 'live' : '',
      st.routes?.preview === c ? 'preview' : '',
      st.previous === c ? 'previous' : '',
    ]
      .filter(Boolean)
      .join(', ') || NONE;
  return mdTable(
    ['colour', 'role', 'status', 'image', 'version', 'healthy / running / wanted', 'deployed', 'promoted'],
    COLOURS.map((c) => {
      const x = st.colours[c];
      return [
        c,
        role(c),
        x.status,
        x.image ? mdCode(x.image) : NONE,
        x.version !== undefined ? mdCode(x.version) : NONE,
        `${x.healthy} / ${x.running} / ${input.replicas}`,
        x.deployedAt ? `${x.deployedAt}${x.deployedBy ? ` by ${x.deployedBy}` : ''}` : NONE,
        x.promotedAt ?? NONE,
      ];
    }),
  );
}

function switchLines(input: SummaryInput): Markdown {
  const sw = input.journal.switches;
  if (!sw.length)
    return input.command === 'status' ? mdJoin([]) : safeMd`**Switch:** none, the live route did not change.`;
  return mdJoin(
    sw.map((w) =>
      w.reverted
        ? safeMd`**Switch:** ${w.op} moved live traffic from ${w.from ?? 'nothing'} to ${w.to} at ${w.at} (load balancer change ${w.switchMs} ms), and **back to ${w.from ?? 'nothing'}** because the live smoke test failed.`
        : safeMd`**Switch:** ${w.op} moved live traffic from ${w.from ?? 'nothing'} to **${w.to}** at ${w.at}: the load balancer change took ${w.switchMs} ms, ${secs(w.sinceStartMs)} after the command started.`,
    ),
    '\n\n',
  );
}

function smokeTable(input: SummaryInput): Markdown {
  const sm = input.journal.smokes;
  if (!sm.length) return mdJoin([]);
  return mdJoin([
    safeMd`**Smoke tests**`,
    '',
    mdTable(
      ['route', 'colour', 'URL', 'requests', 'failed', 'p99', 'result'],
      sm.map((s) => [
        s.route,
        s.colour,
        mdCode(s.url),
        s.requests,
        s.failures,
        `${s.p99Ms.toFixed(1)} ms`,
        s.passed ? 'passed' : `failed: ${s.message ?? ''}`,
      ]),
    ),
  ]);
}

function stepsTable(input: SummaryInput): Markdown {
  return mdTable(
    ['step', 'started', 'took', 'result'],
    input.journal.steps.map((s) => [
      s.name,
      `+${s.startMs} ms`,
      `${s.endMs - s.startMs} ms`,
      s.ok ? 'ok' : 'failed',
    ]),
  );
}

/** The summary as Markdown (see the module comment). */
export function renderSummary(input: SummaryInput): Markdown {
  const st = input.status;
  const live = st?.live
    ? safeMd`${st.live} is live (${st.colours[st.live].version ?? '?'})`
    : safeMd`nothing is live`;
  const head =
    input.outcome === 'ok'
      ? safeMd`### blue-green ${input.command} of ${mdCode(input.name)} (${input.lb}): ${live}`
      : safeMd`### blue-green ${input.command} of ${mdCode(input.name)} (${input.lb}) failed: ${live}`;
  const parts: (Markdown | string)[] = [head, ''];
  if (input.error) parts.push(safeMd`> **Error:** ${input.error}`, '');
  parts.push(coloursTable(input), '');
  const sw = switchLines(input);
  if (sw.text) parts.push(sw, '');
  const smoke = smokeTable(input);
  if (smoke.text) parts.push(smoke, '');
  if (st?.rollbackTarget)
    parts.push(
      safeMd`**Rollback target:** ${mdCode(st.rollbackTarget.version)} (${mdCode(st.rollbackTarget.image)}), ${st.rollbackTarget.running ? 'still running: a rollback only switches' : 'no longer running: a rollback redeploys it'}.`,
      '',
    );
  for (const p of st?.problems ?? []) parts.push(safeMd`- problem: ${p}`);
  if (st?.problems.length) parts.push('');
  if (input.journal.steps.length) {
    parts.push(safeMd`**Timeline** (${secs(input.totalMs)} in all, started ${input.journal.startedAt})`, '');
    parts.push(timelineChart(input), '', stepsTable(input), '');
  }
  if (input.command === 'status' && st) {
    parts.push(
      safeMd`**History** (newest last)`,
      '',
      st.history.length ? historyMarkdown(st.history) : mdText('none recorded'),
      '',
    );
  }
  return mdJoin(parts.map((p) => (typeof p === 'string' ? mdText(p) : p)));
}

/** Where the summary goes: `file` (relative to the working directory), and whether it was given. */
export interface SummaryTarget {
  file: string;
  given: boolean;
  /** Print the Markdown to the log too (off GitHub; not for `status --format json`). */
  log: boolean;
}

/**
 * Publishes the summary: the job summary on GitHub (`addSummary`, also `SHIPKIT_SUMMARY` elsewhere);
 * off GitHub, or wherever `summary-file` is given, the same Markdown as a report file, and in the log.
 */
export async function publishSummary(platform: Platform, md: Markdown, target: SummaryTarget): Promise<void> {
  await platform.addSummary(md);
  if (platform.name === 'github' && !target.given) return;
  await platform.writeReport('other', resolve(target.file), md.text + '\n');
  if (platform.name !== 'github' && target.log)
    await platform.group('Summary', async () => platform.info(md.text));
}
