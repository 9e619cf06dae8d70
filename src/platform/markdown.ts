/**
 * Markdown for job summaries, built so that user text stays text: `addSummary` takes only
 * {@link Markdown}, and the only ways to make one are the helpers below, which escape every value
 * that is not itself `Markdown`. A branch name such as `<img src=x onerror=…>` or `# pwned` shows
 * up as written, never as HTML, a heading, a link, a table cell or the end of a code block.
 */

const KEY = Symbol('markdown');

/** Markdown whose user-supplied parts are escaped; made only by {@link safeMd} and the helpers here. */
export class Markdown {
  /** Only this module holds `KEY`: nothing else can pass raw text off as Markdown. */
  constructor(
    key: symbol,
    readonly text: string,
  ) {
    if (key !== KEY) throw new Error('Markdown is made by safeMd`…` and the helpers of platform/markdown');
  }
  toString(): string {
    return this.text;
  }
}

type Part = string | number | Markdown;

const trusted = (text: string) => new Markdown(KEY, text);
const part = (p: Part): string =>
  p instanceof Markdown ? p.text : typeof p === 'number' ? String(p) : mdText(p).text;

// Line breaks and other control characters inside a value would start new blocks: one space each.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
// Inline syntax GitHub's Markdown knows (emphasis, code, links, tables, strikethrough, math, HTML).
// `(`, `)` and `!` only mean something next to a `[` or `]`, which are always escaped.
const INLINE = /[\\`*_[\]|~$]|[&<>"]/g;

/** Plain text as inline Markdown: every character shows as written. */
export function mdText(text: string): Markdown {
  let out = text.replace(CONTROL, ' ').replace(INLINE, (c) => HTML[c] ?? `\\${c}`);
  // At the start of a line these begin a heading, list or rule; the value may sit there.
  out = out
    .replace(/^(\s*)([#+\-=])(?=[#+\-=]*(\s|$))/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
  return trusted(out);
}

/** Text as an inline code span, with a fence longer than any run of backticks inside it. */
export function mdCode(text: string): Markdown {
  const flat = text.replace(CONTROL, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return trusted(`${fence}${pad}${flat}${pad}${fence}`);
}

/** A fenced code block (e.g. a Mermaid chart) whose body cannot close the fence early. */
export function mdFence(lang: string, body: string): Markdown {
  if (!/^[\w-]*$/.test(lang)) throw new Error(`not a code block language: ${lang}`);
  const longest = Math.max(0, ...(body.match(/`{3,}|~{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return trusted(`${fence}${lang}\n${body.replace(/\r\n?/g, '\n')}\n${fence}`);
}

/**
 * Tagged template: the literal parts are Markdown as written, each `${value}` is escaped with
 * {@link mdText} unless it is already `Markdown` (a number is written as is).
 */
export function safeMd(strings: TemplateStringsArray, ...values: Part[]): Markdown {
  let out = strings[0];
  values.forEach((v, i) => (out += part(v) + strings[i + 1]));
  return trusted(out);
}

/** Joins Markdown parts (plain strings are escaped) with `separator` (a literal). */
export function mdJoin(parts: readonly Part[], separator = '\n'): Markdown {
  return trusted(parts.map(part).join(separator));
}

/** A table: header cells and rows, each cell escaped (a `|` inside a code span too). */
export function mdTable(head: readonly Part[], rows: readonly (readonly Part[])[]): Markdown {
  const cell = (p: Part) => part(p).replace(/(?<!\\)\|/g, '\\|');
  const line = (cells: readonly Part[]) => `| ${cells.map(cell).join(' | ')} |`;
  return trusted([line(head), `|${head.map(() => '---|').join('')}`, ...rows.map(line)].join('\n'));
}
