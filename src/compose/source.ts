/**
 * The user's compose files as text: parsed with `yaml` only for what compose cannot give back —
 * line-numbered YAML syntax errors, where a service or key is written, and the interpolation forms
 * and keys that docker-compose v1 would reject or, worse, misread.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { UserError } from '../core/errors.js';

/** Where something is written in the user's compose files. */
export interface Place {
  file: string;
  line: number;
  col?: number;
}

/** One compose file: how the user wrote its path (for messages) and its text. */
export interface ComposeSource {
  file: string;
  text: string;
}

interface ParsedSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses every file; a YAML syntax error or a non-mapping top level is a `UserError` with file:line:col. */
export function parseSources(sources: readonly ComposeSource[]): ParsedSource[] {
  return sources.map(({ file, text }) => {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const bad = doc.errors[0];
    if (bad) {
      const pos = lines.linePos(bad.pos[0]);
      throw new UserError(`YAML syntax error: ${bad.message.split('\n')[0]}`, {
        file,
        line: pos.line,
        col: pos.col,
      });
    }
    if (doc.contents !== null && !isMap(doc.contents)) {
      throw new UserError('expected a mapping with a "services:" key', { file, line: 1 });
    }
    return { file, doc, lines };
  });
}

function placeOf(p: ParsedSource, node: Node | null | undefined): Place {
  const pos = p.lines.linePos(node?.range?.[0] ?? 0);
  return { file: p.file, line: pos.line, col: pos.col };
}

/** The key node of `name` in a map node, if the map has it. */
function keyNode(map: unknown, name: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((it) => isScalar(it.key) && String(it.key.value) === name);
  return pair?.key as Node | undefined;
}

/**
 * Finds where a service (or one of its keys) is written. For a key, the last file that sets it wins
 * (as in compose's merge of `-f` files); otherwise the first file that defines the service; when no
 * file does (it comes from `include`), the first file's `services:` key.
 */
export function locator(parsed: readonly ParsedSource[]): (service?: string, key?: string) => Place {
  return (service, key) => {
    const services = parsed.map((p) => p.doc.get('services', true));
    if (service !== undefined && key !== undefined) {
      for (let i = parsed.length - 1; i >= 0; i--) {
        const svc = isMap(services[i])
          ? (services[i] as { get(k: string, keep: true): unknown }).get(service, true)
          : undefined;
        const k = keyNode(svc, key);
        if (k) return placeOf(parsed[i], k);
      }
    }
    if (service !== undefined) {
      for (let i = 0; i < parsed.length; i++) {
        const k = keyNode(services[i], service);
        if (k) return placeOf(parsed[i], k);
      }
    }
    for (let i = 0; i < parsed.length; i++) {
      const k = keyNode(parsed[i].doc.contents, 'services');
      if (k) return placeOf(parsed[i], k);
    }
    return { file: parsed[0]?.file ?? 'compose.yaml', line: 1 };
  };
}

/** What docker-compose v1 (1.29) cannot read in an interpolated string, or undefined. */
export function v1InterpolationGap(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    if (text[i + 1] === '$') {
      i++;
      continue;
    }
    if (text[i + 1] !== '{') continue;
    const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?/.exec(text.slice(i));
    if (!m) return undefined; // compose itself reports an invalid format
    const [head, name, op] = m;
    let j = i + head.length;
    let nested = false;
    for (; j < text.length && text[j] !== '}'; j++) {
      if (text[j] === '$' && text[j + 1] === '$') j++;
      else if (text[j] === '$') nested = true;
    }
    if (op?.endsWith('+')) return `\${${name}${op}…} (a value when ${name} is set)`;
    if (nested)
      return `\${${name}${op ?? ''}…\${…}} (a variable inside a default or message; v1 would keep it as literal text)`;
    i = j;
  }
  return undefined;
}

/** The dotted path of a node from the YAML `visit` ancestry (`services.web.image`). */
function pathOf(ancestors: readonly unknown[], key: unknown): string {
  const parts: string[] = [];
  for (const a of ancestors) {
    if (isPair(a) && isScalar(a.key)) parts.push(String(a.key.value));
  }
  if (typeof key === 'number') parts.push(String(key));
  return parts.join('.');
}

/**
 * Throws a `UserError` naming file, line and field for the first construct docker-compose v1 1.29
 * cannot do: a top-level `include:` (compose v2.20+), `${VAR:+x}`/`${VAR+x}`, or a variable inside
 * a default (`${A:-${B}}`, which v1 silently keeps as literal text).
 */
export function checkV1(parsed: readonly ParsedSource[]): void {
  for (const p of parsed) {
    const include = keyNode(p.doc.contents, 'include');
    if (include) {
      throw new UserError('`include:` needs Compose v2 (2.20 or later); docker-compose v1 cannot read it', {
        ...placeOf(p, include),
        field: 'include',
      });
    }
    let gap: UserError | undefined;
    visit(p.doc, {
      Scalar(key, node, ancestors) {
        if (typeof node.value !== 'string') return undefined;
        const form = v1InterpolationGap(node.value);
        if (!form) return undefined;
        gap = new UserError(
          `${form} needs Compose v2; docker-compose v1 reads only \${VAR}, \${VAR:-default}, \${VAR-default}, \${VAR:?error} and \${VAR?error}`,
          { ...placeOf(p, node), field: pathOf(ancestors, key) },
        );
        return visit.BREAK;
      },
    });
    if (gap) throw gap;
  }
}
