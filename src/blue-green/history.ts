/**
 * The history of an app's blue-green commands as a table: who, when, what, result. The rows come
 * from the state's bounded history list (`state.ts`); `status` shows them as text, the job summary
 * as Markdown, and `--format json` gives the entries themselves.
 */
import { mdCode, mdTable, type Markdown } from '../platform/markdown.js';
import type { HistoryEntry } from './state.js';

export interface HistoryRow {
  when: string;
  who: string;
  what: string;
  result: string;
}

const flat = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');

/** One row per entry, oldest first; `what` is the command with its colour and version. */
export function historyRows(history: readonly HistoryEntry[]): HistoryRow[] {
  return history.map((h) => ({
    when: h.at,
    who: flat(h.by),
    what: flat(
      [h.op, h.colour ? `${h.colour}` : '', h.version !== undefined ? `(${h.version})` : '']
        .filter(Boolean)
        .join(' '),
    ),
    result: flat(h.message ? `${h.outcome}: ${h.message}` : h.outcome),
  }));
}

/** The history as an aligned text table (newest last), or a line saying there is none. */
export function historyText(history: readonly HistoryEntry[]): string {
  const rows = historyRows(history);
  if (!rows.length) return 'history: none recorded';
  const head: HistoryRow = { when: 'when', who: 'who', what: 'what', result: 'result' };
  const all = [head, ...rows];
  const w = (k: keyof HistoryRow) => Math.max(...all.map((r) => r[k].length));
  const widths = { when: w('when'), who: w('who'), what: w('what') };
  const line = (r: HistoryRow) =>
    `  ${r.when.padEnd(widths.when)}  ${r.who.padEnd(widths.who)}  ${r.what.padEnd(widths.what)}  ${r.result}`.trimEnd();
  return ['history:', ...all.map(line)].join('\n');
}

/** The history as a Markdown table; every value is escaped (a `|` in a version stays in its cell). */
export function historyMarkdown(history: readonly HistoryEntry[]): Markdown {
  return mdTable(
    ['when', 'who', 'what', 'result'],
    historyRows(history).map((r) => [r.when, r.who, mdCode(r.what), r.result]),
  );
}
