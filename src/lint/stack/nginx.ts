/**
 * A small nginx configuration reader: directives with their arguments, blocks and 1-based lines,
 * tokenised as nginx's own lexer does (quotes, backslash escapes, `#` comments, `${var}` in words).
 * It never throws: a syntax error comes back as `{ok: false}` with its line.
 */

export interface Directive {
  name: string;
  args: string[];
  line: number;
  /** The directives inside `{ … }`, or undefined for a simple directive. */
  block?: Directive[];
}

export type NginxParse = { ok: true; directives: Directive[] } | { ok: false; line: number; message: string };

interface Token {
  text: string;
  line: number;
  /** `{`, `}` or `;` outside quotes. */
  special: boolean;
}

function tokenise(text: string): Token[] | { line: number; message: string } {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '{' || c === '}' || c === ';') {
      out.push({ text: c, line, special: true });
      i++;
    } else {
      const start = line;
      let word = '';
      while (i < n) {
        const d = text[i];
        if (d === '"' || d === "'") {
          i++;
          while (i < n && text[i] !== d) {
            if (text[i] === '\\' && i + 1 < n) {
              word += text[i + 1] === d ? d : text[i] + text[i + 1];
              i += 2;
              continue;
            }
            if (text[i] === '\n') line++;
            word += text[i++];
          }
          if (i >= n)
            return { line: start, message: `unterminated ${d === '"' ? 'double' : 'single'} quote` };
          i++;
        } else if (d === '\\' && i + 1 < n) {
          word += d + text[i + 1];
          i += 2;
        } else if (d === '$' && text[i + 1] === '{') {
          const end = text.indexOf('}', i);
          if (end < 0) return { line, message: 'unterminated "${" in a variable' };
          word += text.slice(i, end + 1);
          i = end + 1;
        } else if (/\s/.test(d) || d === ';' || d === '{' || d === '}') break;
        else word += text[i++];
      }
      out.push({ text: word, line: start, special: false });
    }
  }
  return out;
}

const MAX_DEPTH = 64;

/** Parses nginx configuration text (a whole nginx.conf, a conf.d snippet or a template). */
export function parseNginx(text: string): NginxParse {
  const tokens = tokenise(text);
  if (!Array.isArray(tokens)) return { ok: false, ...tokens };
  const stack: Directive[][] = [[]];
  const opened: Directive[] = [];
  let current: Directive | undefined;
  for (const t of tokens) {
    if (!t.special) {
      if (current) current.args.push(t.text);
      else current = { name: t.text, args: [], line: t.line };
      continue;
    }
    if (t.text === ';') {
      if (!current) return { ok: false, line: t.line, message: 'unexpected ";"' };
      stack[stack.length - 1].push(current);
      current = undefined;
    } else if (t.text === '{') {
      if (!current) return { ok: false, line: t.line, message: 'unexpected "{"' };
      // nginx itself stops far earlier; the cap keeps the tree walkers' recursion bounded
      if (stack.length > MAX_DEPTH)
        return { ok: false, line: t.line, message: `blocks nested deeper than ${MAX_DEPTH}` };
      current.block = [];
      stack[stack.length - 1].push(current);
      stack.push(current.block);
      opened.push(current);
      current = undefined;
    } else {
      if (current)
        return {
          ok: false,
          line: current.line,
          message: `directive "${current.name}" is not terminated by ";"`,
        };
      if (stack.length === 1) return { ok: false, line: t.line, message: 'unexpected "}"' };
      stack.pop();
      opened.pop();
    }
  }
  if (current)
    return { ok: false, line: current.line, message: `unexpected end of file, expecting ";" or "}"` };
  if (opened.length > 0) {
    const o = opened[opened.length - 1];
    return {
      ok: false,
      line: o.line,
      message: `unexpected end of file: the "${o.name}" block opened here is not closed`,
    };
  }
  return { ok: true, directives: stack[0] };
}

/** Every directive in `list` and its blocks, depth first, with its chain of enclosing blocks. */
export function* walkNginx(
  list: Directive[],
  parents: Directive[] = [],
): Generator<{ d: Directive; parents: Directive[] }> {
  for (const d of list) {
    yield { d, parents };
    if (d.block) yield* walkNginx(d.block, [...parents, d]);
  }
}

/** nginx time (`10s`, `1m30s`, `500ms`, a bare number = seconds) in seconds; undefined if invalid. */
export function nginxSeconds(text: string): number | undefined {
  const units: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
    d: 86400,
    w: 604800,
    M: 2592000,
    y: 31536000,
  };
  if (/^\d+$/.test(text)) return Number(text);
  const re = /(\d+)(ms|s|m|h|d|w|M|y)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]];
    end = re.lastIndex;
  }
  return end === text.length && end > 0 ? total : undefined;
}
