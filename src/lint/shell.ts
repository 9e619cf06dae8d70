/**
 * hadolint's shell-command model: every simple command anywhere in a RUN (after `&&`, `;`, `|`,
 * in subshells and `$(…)`), its name, its words "simplified" (quotes removed, `$x` → `${x}`), and
 * its flags as ShellCheck's `getAllFlags` reads them (`-abc` → a,b,c; `--name=v` → name).
 */

export interface Command {
  name: string;
  /** Every word after the name, flags included, simplified. */
  args: string[];
  /** Flag names, in order, with repeats (`-qq` → q,q). */
  flags: string[];
}

export interface ParsedShell {
  text: string;
  commands: Command[];
  /** A `|` or `|&` pipe appears. */
  hasPipe: boolean;
  /** How many `&&`, `||`, `;`, `&` or newlines join commands (0 = a single command or pipeline). */
  chains: number;
}

const SEPARATORS = new Set(['&&', '||', '|', '|&', ';', ';;', ';&', ';;&', '&', '\n', '(', ')']);
const REDIRECTS = ['&>>', '<<<', '<<-', '>>', '>&', '<&', '<>', '>|', '&>', '<<', '>', '<'];
const DROP = new Set([
  '!',
  '{',
  '}',
  'then',
  'else',
  'elif',
  'if',
  'do',
  'done',
  'while',
  'until',
  'fi',
  'time',
  'esac',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

type Token = { op: string } | { word: string; raw: string };

class Lexer {
  pos = 0;
  tokens: Token[] = [];
  commands: Command[] = [];
  hasPipe = false;
  private heredocs: { delim: string; strip: boolean }[] = [];

  constructor(private readonly s: string) {}

  run(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '\\' && s[this.pos + 1] === '\n') {
        this.pos += 2;
      } else if (c === '\n') {
        this.tokens.push({ op: '\n' });
        this.pos++;
        this.skipHeredocBodies();
      } else if (/\s/.test(c)) {
        this.pos++;
      } else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (!this.operator()) {
        const start = this.pos;
        const word = this.word();
        const raw = s.slice(start, this.pos);
        if (/^\d+$/.test(raw) && (s[this.pos] === '>' || s[this.pos] === '<')) continue; // fd number
        this.tokens.push({ word, raw });
      }
    }
  }

  private operator(): boolean {
    const s = this.s;
    for (const op of REDIRECTS) {
      if (s.startsWith(op, this.pos)) {
        if ((op === '<' || op === '>') && s[this.pos + 1] === '(') break; // process substitution
        this.pos += op.length;
        while (s[this.pos] === ' ' || s[this.pos] === '\t') this.pos++;
        const start = this.pos;
        if (this.pos < s.length && !/[\n;&|()]/.test(s[this.pos])) this.word();
        if (op === '<<' || op === '<<-') {
          const delim = s.slice(start, this.pos).replace(/["'\\]/g, '');
          this.heredocs.push({ delim, strip: op === '<<-' });
        }
        return true;
      }
    }
    for (const op of [';;&', '&&', '||', '|&', ';;', ';&', '|', ';', '&', '(', ')']) {
      if (s.startsWith(op, this.pos)) {
        if (op === '|' || op === '|&') this.hasPipe = true;
        this.tokens.push({ op });
        this.pos += op.length;
        return true;
      }
    }
    return false;
  }

  private skipHeredocBodies(): void {
    for (const { delim, strip } of this.heredocs) {
      while (this.pos < this.s.length) {
        const end = this.s.indexOf('\n', this.pos);
        const stop = end < 0 ? this.s.length : end;
        let line = this.s.slice(this.pos, stop);
        if (strip) line = line.replace(/^\t+/, '');
        this.pos = stop + 1;
        if (line === delim) break;
      }
    }
    this.heredocs = [];
  }

  /** Reads one word at `pos`, returns it simplified. */
  private word(): string {
    const s = this.s;
    let out = '';
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (/[\s;&|()<>]/.test(c)) {
        if ((c === '<' || c === '>') && s[this.pos + 1] === '(') {
          out += this.substitution(this.pos + 1);
          continue;
        }
        break;
      }
      if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        const stop = end < 0 ? s.length : end;
        out += s.slice(this.pos + 1, stop);
        this.pos = stop + 1;
      } else if (c === '"') {
        this.pos++;
        // Inside double quotes a backslash escapes only these; before anything else it is itself.
        while (this.pos < s.length && s[this.pos] !== '"') out += this.unit('$`"\\\n');
        this.pos++;
      } else {
        out += this.unit();
      }
    }
    return out;
  }

  /**
   * One unit of a word at `pos`: a backslash and the character it escapes (any, or those in
   * `escapes`; an escaped newline is a line continuation and gives nothing), a substitution, or a
   * plain character.
   */
  private unit(escapes?: string): string {
    const s = this.s;
    const c = s[this.pos];
    const next = s[this.pos + 1] ?? '';
    if (c === '\\' && (escapes === undefined || escapes.includes(next))) {
      this.pos += 2;
      return next === '\n' ? '' : next;
    }
    if (c === '$' || c === '`') return this.dollar();
    this.pos++;
    return c;
  }

  /** `$x`, `${x}`, `$(…)`, `$((…))` or a backtick substitution at `pos`. */
  private dollar(): string {
    const s = this.s;
    if (s[this.pos] === '`') {
      let end = this.pos + 1;
      while (end < s.length && s[end] !== '`') end += s[end] === '\\' ? 2 : 1;
      this.nested(s.slice(this.pos + 1, end));
      this.pos = end + 1;
      return '${...}';
    }
    const next = s[this.pos + 1];
    if (next === '(') return this.substitution(this.pos + 1);
    if (next === '{') {
      const end = matching(s, this.pos + 1, '{', '}');
      const inner = s.slice(this.pos + 2, end);
      this.pos = end + 1;
      return '${' + inner + '}';
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(s.slice(this.pos + 1));
    if (m) {
      this.pos += 1 + m[1].length;
      return '${' + m[1] + '}';
    }
    this.pos++;
    return '$';
  }

  /** `(…)` at `open` holding commands (or `((…))` arithmetic): parses them, returns a placeholder. */
  private substitution(open: number): string {
    const end = matching(this.s, open, '(', ')');
    const inner = this.s.slice(open + 1, end);
    if (!inner.startsWith('(')) this.nested(inner);
    this.pos = end + 1;
    return '${...}';
  }

  private nested(text: string): void {
    const inner = parseShell(text);
    this.commands.push(...inner.commands);
    this.hasPipe ||= inner.hasPipe;
  }
}

/** Index of the bracket closing the one at `open`, skipping quoted text. */
function matching(s: string, open: number, o: string, c: string): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') i++;
    else if (ch === "'") {
      const e = s.indexOf("'", i + 1);
      i = e < 0 ? s.length : e;
    } else if (ch === o) depth++;
    else if (ch === c && --depth === 0) return i;
  }
  return s.length;
}

/** Flag names of a word list, up to `--` (ShellCheck's getAllFlags). */
export function flagsOf(args: readonly string[]): string[] {
  const flags: string[] = [];
  for (const a of args) {
    if (a === '--') break;
    if (a.startsWith('--')) flags.push(a.slice(2).split('=')[0]);
    else if (a.startsWith('-') && a.length > 1) flags.push(...a.slice(1));
  }
  return flags;
}

function toCommand(words: { word: string; raw: string }[]): Command | undefined {
  let i = 0;
  while (i < words.length && ASSIGNMENT.test(words[i].raw)) i++;
  if (i >= words.length) return undefined;
  const args = words.slice(i + 1).map((w) => w.word);
  return { name: words[i].word, args, flags: flagsOf(args) };
}

/** Parses shell text into hadolint's command model. Never throws. */
export function parseShell(text: string): ParsedShell {
  const lx = new Lexer(text);
  lx.run();
  const commands: Command[] = [];
  let cur: { word: string; raw: string }[] = [];
  let caseDepth = 0;
  let pattern = false;
  let skipping = false; // inside `for … ;` / `[[ … ]]`
  const flush = () => {
    const cmd = skipping || pattern ? undefined : toCommand(cur);
    if (cmd) commands.push(cmd);
    cur = [];
    skipping = false;
  };
  for (const t of lx.tokens) {
    if ('op' in t) {
      if (t.op === ')' && pattern) {
        cur = [];
        pattern = false;
        continue;
      }
      if (SEPARATORS.has(t.op)) flush();
      if (t.op.startsWith(';;') && caseDepth > 0) pattern = true;
      continue;
    }
    if (cur.length === 0 && !skipping) {
      if (t.raw === 'esac' && caseDepth > 0) {
        caseDepth--;
        pattern = false;
        continue;
      }
      if (pattern) {
        if (t.raw !== '(') cur.push(t);
        continue;
      }
      if (DROP.has(t.raw)) continue;
      if (t.raw === 'for' || t.raw === 'select' || t.raw === '[[' || t.raw === 'function') {
        skipping = true;
        continue;
      }
      if (t.raw === 'case') {
        caseDepth++;
        skipping = true;
        continue;
      }
    }
    if (skipping && t.raw === 'in' && caseDepth > 0 && cur.length >= 1) {
      cur = [];
      skipping = false;
      pattern = true;
      continue;
    }
    cur.push(t);
  }
  flush();
  // Commands inside substitutions run before the command holding them.
  return {
    text,
    commands: [...lx.commands, ...commands],
    hasPipe: lx.hasPipe,
    chains: countChains(lx.tokens),
  };
}

const CHAIN = new Set(['&&', '||', ';', '&', '\n']);

/** List operators with a word on both sides. */
function countChains(tokens: Token[]): number {
  let n = 0;
  let sawWord = false;
  let pending = false;
  for (const t of tokens) {
    if ('word' in t) {
      if (pending) n++;
      pending = false;
      sawWord = true;
    } else if (CHAIN.has(t.op) && sawWord) pending = true;
  }
  return n;
}

/** Words that do not start with `-`. */
export function argsNoFlags(cmd: Command): string[] {
  return cmd.args.filter((a) => !a.startsWith('-'));
}

/** Drops the value word after each of `flags` given as `-x value` / `--long value`. */
export function dropFlagArg(flags: readonly string[], cmd: Command): Command {
  const args: string[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    args.push(cmd.args[i]);
    const a = cmd.args[i];
    const name = a.startsWith('--') ? a.slice(2) : a.startsWith('-') ? a.slice(1) : undefined;
    if (name !== undefined && !a.includes('=') && flags.includes(name)) i++;
  }
  return { ...cmd, args };
}

export const hasFlag = (cmd: Command, flag: string): boolean => cmd.flags.includes(flag);
export const hasAnyFlag = (cmd: Command, flags: readonly string[]): boolean =>
  flags.some((f) => cmd.flags.includes(f));
/** hadolint's cmdHasArgs quirk: name matches and ANY word equals ANY of `args`. */
export const cmdHasArgs = (name: string, args: readonly string[], cmd: Command): boolean =>
  cmd.name === name && cmd.args.some((a) => args.includes(a));
/** Is this command `name` with `sub` among its non-flag words? */
export const isSub = (cmd: Command, names: readonly string[], subs: readonly string[]): boolean =>
  names.includes(cmd.name) && argsNoFlags(cmd).some((a) => subs.includes(a));
