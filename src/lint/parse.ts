/**
 * A Dockerfile parser shaped after what hadolint (language-docker) sees: one instruction per
 * logical line with its start line, comments as instructions, parser directives, BuildKit heredocs
 * and `--flag[=value]` options. Unknown flags are accepted on purpose (hadolint#951).
 */

export interface Flag {
  name: string;
  /** `undefined` for a bare `--link`. */
  value: string | undefined;
}

export interface Heredoc {
  delimiter: string;
  body: string;
  /** The delimiter was quoted (`<<"EOF"`): no expansion in the body. */
  quoted: boolean;
}

export interface Instruction {
  /** 1-based line where the instruction starts. */
  line: number;
  /** Upper-case keyword, or `#` for a comment. */
  keyword: string;
  /** Everything after the keyword, continuation lines joined (for a comment: the text after `#`). */
  args: string;
  /** Leading `--name=value` options. */
  flags: Flag[];
  /** `args` without the leading flags. */
  rest: string;
  heredocs: Heredoc[];
  /** A comment that is a parser directive (`# syntax=`, `# escape=`). */
  directive?: boolean;
  /** The wrapped instruction of an ONBUILD. */
  inner?: Instruction;
}

export interface ParseError {
  line: number;
  column: number;
  message: string;
}

export type ParseResult = { ok: true; instructions: Instruction[] } | { ok: false; error: ParseError };

export const KEYWORDS = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT',
  'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]); // prettier-ignore

const DIRECTIVE = /^#\s*(syntax|escape|check)\s*=\s*(\S*)\s*$/i;
const HEREDOC = /(?<!<)<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

class Failure extends Error {
  constructor(readonly error: ParseError) {
    super(error.message);
  }
}

/** Parses Dockerfile text. Never throws: a syntax error comes back as `{ok: false}` (DL1000). */
export function parseDockerfile(text: string): ParseResult {
  try {
    return { ok: true, instructions: parseLines(text.replace(/\r\n?/g, '\n').split('\n')) };
  } catch (err: unknown) {
    if (err instanceof Failure) return { ok: false, error: err.error };
    throw err;
  }
}

function parseLines(lines: string[]): Instruction[] {
  const out: Instruction[] = [];
  let escape = '\\';
  let i = 0;
  // Parser directives: only at the very top, before anything else.
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i].trim());
    if (!m) break;
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
    out.push(comment(i + 1, lines[i], true));
  }
  while (i < lines.length) {
    const raw = lines[i];
    const trimmed = raw.trim();
    if (trimmed === '') {
      i++;
      continue;
    }
    if (trimmed.startsWith('#')) {
      out.push(comment(i + 1, raw, false));
      i++;
      continue;
    }
    const start = i;
    let text = stripTrailing(raw);
    i++;
    while (endsWithEscape(text, escape)) {
      text = text.trimEnd().slice(0, -1);
      // Comment and blank lines inside a continuation are dropped, as docker does.
      while (i < lines.length && (lines[i].trim() === '' || lines[i].trim().startsWith('#'))) i++;
      if (i >= lines.length) break;
      text += lines[i];
      i++;
    }
    const instr = parseInstruction(start + 1, text.trim());
    if (instr.keyword === 'RUN' || instr.keyword === 'COPY' || instr.keyword === 'ADD') {
      i = readHeredocs(instr, lines, i);
    } else if (instr.inner && ['RUN', 'COPY', 'ADD'].includes(instr.inner.keyword)) {
      i = readHeredocs(instr.inner, lines, i);
    }
    out.push(instr);
  }
  return out;
}

function stripTrailing(line: string): string {
  return line.replace(/[ \t]+$/, '');
}

function endsWithEscape(text: string, escape: string): boolean {
  return text.trimEnd().endsWith(escape);
}

function comment(line: number, raw: string, directive: boolean): Instruction {
  const text = raw.trim().slice(1);
  return { line, keyword: '#', args: text, flags: [], rest: text, heredocs: [], directive };
}

function fail(line: number, column: number, message: string): never {
  throw new Failure({ line, column, message });
}

function parseInstruction(line: number, text: string): Instruction {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  const word = m ? m[1] : text;
  const keyword = word.toUpperCase();
  if (!KEYWORDS.has(keyword)) {
    fail(line, 1, `unexpected '${word}' expecting a Dockerfile instruction (FROM, RUN, COPY, ...)`);
  }
  const args = m ? m[2].trim() : '';
  if (args === '') fail(line, word.length + 1, `unexpected end of line: ${keyword} needs arguments`);
  const { flags, rest } = splitFlags(args);
  const instr: Instruction = { line, keyword, args, flags, rest, heredocs: [] };
  if (keyword === 'ONBUILD') instr.inner = parseInstruction(line, args);
  validate(instr);
  return instr;
}

/** Splits leading `--name[=value]` options off an argument string. */
export function splitFlags(args: string): { flags: Flag[]; rest: string } {
  const flags: Flag[] = [];
  let rest = args;
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?(?:\s+|$)/.exec(rest);
    if (!m) break;
    let value = m[2];
    if (value !== undefined && /^(["']).*\1$/s.test(value)) value = value.slice(1, -1);
    flags.push({ name: m[1].toLowerCase(), value });
    rest = rest.slice(m[0].length);
  }
  return { flags, rest: rest.trim() };
}

function validate(instr: Instruction): void {
  const { keyword, rest, line } = instr;
  const col = keyword.length + 2;
  if (keyword === 'FROM') {
    const w = rest.split(/\s+/).filter(Boolean);
    if (w.length === 0) fail(line, col, 'unexpected end of line: FROM needs an image');
    if (w.length === 2 || w.length > 3 || (w.length === 3 && w[1].toLowerCase() !== 'as')) {
      fail(line, col, `unexpected '${w.slice(1).join(' ')}' expecting 'AS <name>' or end of line`);
    }
  }
  if ((keyword === 'COPY' || keyword === 'ADD') && !rest.startsWith('[') && !/<</.test(rest)) {
    if (words(rest).length < 2)
      fail(line, col, `unexpected end of line: ${keyword} needs a source and a destination`);
  }
  if (keyword === 'EXPOSE') {
    for (const port of rest.split(/\s+/)) {
      if (!/^(\$\{?[\w:-]+\}?|\d+)(-(\$\{?[\w:-]+\}?|\d+))?(\/\w+)?$/.test(port)) {
        fail(line, col, `unexpected '${port}' expecting a port, a port range or a variable`);
      }
    }
  }
  if (keyword === 'ENV' && !/=/.test(rest.split(/\s+/)[0] ?? '') && !/\s/.test(rest)) {
    fail(line, col, `unexpected end of line: ENV ${rest} needs a value`);
  }
  if (keyword === 'SHELL' && execForm(rest) === undefined) {
    fail(line, col, 'unexpected input, SHELL expects a JSON array of strings');
  }
  if (keyword === 'ONBUILD' && instr.inner === undefined) fail(line, col, 'ONBUILD needs an instruction');
  if (keyword === 'HEALTHCHECK' && !/^(NONE|CMD)(\s|$)/i.test(rest)) {
    fail(line, col, "unexpected input, HEALTHCHECK expects 'CMD' or 'NONE'");
  }
}

/** `<<EOF` markers outside quotes (a `"a<<b"` string is not a heredoc). */
export function heredocMarkers(rest: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let quote = '';
  for (let k = 0; k < rest.length; k++) {
    const c = rest[k];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') k++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') k++;
    else if (c === '<' && rest[k + 1] === '<' && rest[k - 1] !== '<' && rest[k + 2] !== '<') {
      const m = new RegExp(HEREDOC.source, 'y');
      m.lastIndex = k;
      const hit = m.exec(rest);
      if (hit) {
        out.push(hit);
        k += hit[0].length - 1;
      }
    }
  }
  return out;
}

function readHeredocs(instr: Instruction, lines: string[], i: number): number {
  for (const m of heredocMarkers(instr.rest)) {
    const strip = m[1] === '-';
    const delimiter = m[3];
    const body: string[] = [];
    for (;;) {
      if (i >= lines.length) fail(instr.line, 1, `unterminated heredoc: missing ${delimiter}`);
      const l = strip ? lines[i].replace(/^\t+/, '') : lines[i];
      i++;
      if (l === delimiter) break;
      body.push(l);
    }
    instr.heredocs.push({ delimiter, body: body.join('\n') + '\n', quoted: m[2] !== '' });
  }
  return i;
}

/** A JSON array of strings (exec form), or `undefined` for shell form. */
export function execForm(rest: string): string[] | undefined {
  const t = rest.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return v;
  } catch {
    // not JSON: shell form, as docker treats it
  }
  return undefined;
}

/** Removes one level of matching surrounding quotes. */
export function unquote(s: string): string {
  return /^(["']).*\1$/s.test(s) && s.length >= 2 ? s.slice(1, -1) : s;
}

/** Splits on unquoted whitespace, removing quotes and backslash escapes (docker's word rules). */
export function words(text: string): string[] {
  return scanWords(text).words;
}

/**
 * The word scanner behind `words` and HAProxy's config lines: quotes and backslash escapes removed,
 * `blank` separates words, `comment` stops at an unquoted `#`; `quote` is the quote left open at the end.
 */
export function scanWords(
  text: string,
  { blank = /\s/, comment = false }: { blank?: RegExp; comment?: boolean } = {},
): { words: string[]; quote: string } {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (comment && c === '#') break;
    else if (blank.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return { words: out, quote };
}

/** `KEY=value …` pairs of ENV/LABEL, or the legacy `KEY value with spaces` form. */
export function keyValues(rest: string): { key: string; value: string }[] {
  const first = /^(\S+)\s+([\s\S]*)$/.exec(rest);
  if (first && !first[1].includes('=')) return [{ key: unquote(first[1]), value: first[2].trim() }];
  return words(rest).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? { key: w, value: '' } : { key: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}
