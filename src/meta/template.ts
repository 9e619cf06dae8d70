import { UserError } from '../core/errors.js';

/**
 * The slice of Handlebars that metadata-action's expressions use: `{{name}}`, `{{a.b}}`,
 * `{{{name}}}` (no escaping), helpers with literal arguments and a hash
 * (`{{date 'YYYYMMDD' tz='Asia/Tokyo'}}`), comments `{{! … }}`, `\{{` for a literal brace, and
 * `{{#if x}}…{{else}}…{{/if}}` / `{{#unless}}`. Output of `{{…}}` is HTML-escaped as Handlebars does
 * (so `=` becomes `&#x3D;`), because tags computed by metadata-action carry that quirk.
 */
export type Helper = (args: TemplateValue[], hash: Record<string, TemplateValue>) => TemplateValue;
export type TemplateValue = string | number | boolean | null | undefined | readonly unknown[] | Helper;
export type Scope = Readonly<Record<string, unknown>>;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'comment' }
  | { kind: 'mustache'; path: string; params: Param[]; hash: Record<string, Param>; raw: boolean }
  | { kind: 'block'; helper: 'if' | 'unless'; param: Param; body: Node[]; inverse: Node[] };
type Param = { literal: string | number | boolean } | { path: string };

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** Handlebars' `escapeExpression`. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (c) => ESCAPES[c]);
}

const TOKEN = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^\s=]+)=|([^\s]+)/g;

function parseParam(text: string): Param {
  if (/^-?\d+(\.\d+)?$/.test(text)) return { literal: Number(text) };
  if (text === 'true' || text === 'false') return { literal: text === 'true' };
  return { path: text };
}

function parseMustache(body: string, raw: boolean): Node {
  const params: Param[] = [];
  const hash: Record<string, Param> = {};
  let path = '';
  let pendingKey: string | undefined;
  for (const m of body.matchAll(TOKEN)) {
    const [, single, double, key, bare] = m;
    if (key !== undefined) {
      pendingKey = key;
      continue;
    }
    const param: Param =
      single !== undefined || double !== undefined
        ? { literal: (single ?? double).replace(/\\(.)/g, '$1') }
        : parseParam(bare);
    if (pendingKey !== undefined) {
      hash[pendingKey] = param;
      pendingKey = undefined;
    } else if (!path && 'path' in param) {
      path = param.path;
    } else {
      params.push(param);
    }
  }
  // Handlebars' ID characters, with `.` and `/` as path separators.
  const validPath = /^[^\s!"#%&'()*+,;<=>@[\\\]^`{|}~]+$/.test(path);
  if (!validPath || pendingKey !== undefined) throw new UserError(`invalid expression "{{${body}}}"`);
  return { kind: 'mustache', path, params, hash, raw };
}

/** Parses a template; throws a `UserError` for unbalanced `{{` or blocks, like Handlebars' parser. */
export function parseTemplate(source: string, process = true): Node[] {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { kind: 'block' }>; inElse: boolean }[] = [];
  const target = () => {
    const top = stack.at(-1);
    return top ? (top.inElse ? top.node.inverse : top.node.body) : root;
  };
  const re = /\\\{\{|\{\{\{~?([\s\S]*?)~?\}\}\}|\{\{~?([\s\S]*?)~?\}\}/g;
  let last = 0;
  let stripNext = false; // the previous expression ended with `~}}`
  const pushText = (text: string, stripEnd: boolean) => {
    if (stripNext) text = text.replace(/^\s+/, '');
    if (stripEnd) text = text.replace(/\s+$/, '');
    stripNext = false;
    if (text) target().push({ kind: 'text', text });
  };
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const escaped = m[0] === '\\{{';
    // `{{~x}}` and `{{x~}}` eat the white space before / after them.
    pushText(source.slice(last, m.index), !escaped && /^\{\{\{?~/.test(m[0]));
    last = re.lastIndex;
    if (escaped) {
      target().push({ kind: 'text', text: '{{' });
      continue;
    }
    stripNext = /~\}\}\}?$/.test(m[0]);
    // `{{{{` opens a raw block and `{{x}}}` closes a double stash with a triple one: both are
    // parse errors in Handlebars unless written as a whole raw block, which no expression here needs.
    const inner = m[1] ?? m[2];
    const comment = /^~?!/.test(inner);
    if (
      source.startsWith('{{{{', m.index) ||
      (!comment && ((!stripNext && source[last] === '}') || inner.includes('{{')))
    )
      throw new UserError(`invalid expression in "${source}"`);
    // `{{&name}}` is Handlebars' other spelling of the unescaped `{{{name}}}`.
    const amp = m[2] !== undefined && /^~?&/.test(m[0].slice(2));
    const raw = m[1] !== undefined || amp;
    const body = amp ? m[2].replace(/^&/, '').trim() : (m[1] ?? m[2]).trim();
    if (body.startsWith('!')) {
      target().push({ kind: 'comment' });
      continue;
    }
    if (body.startsWith('#')) {
      const inner = parseMustache(body.slice(1), false) as Extract<Node, { kind: 'mustache' }>;
      if (inner.path !== 'if' && inner.path !== 'unless')
        throw new UserError(`unsupported block helper "{{#${inner.path}}}"`);
      const node: Extract<Node, { kind: 'block' }> = {
        kind: 'block',
        helper: inner.path,
        param: inner.params[0] ?? { literal: '' },
        body: [],
        inverse: [],
      };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (body === 'else' && stack.length) {
      stack[stack.length - 1].inElse = true;
    } else if (body.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.node.helper !== body.slice(1).trim())
        throw new UserError(`unbalanced "{{${body}}}" in "${source}"`);
    } else {
      target().push(parseMustache(body, raw));
    }
  }
  if (stack.length) throw new UserError(`unclosed "{{#${stack[0].node.helper}}}" in "${source}"`);
  const tail = source.slice(last);
  if (tail.includes('{{')) throw new UserError(`unclosed "{{" in "${source}"`);
  pushText(tail, false);
  return process ? stripStandaloneComments(root) : root;
}

/**
 * Handlebars' "standalone" rule for a comment alone on its line: the white space around it, up to
 * and including one line break after it, goes too (`' {{! note }} '` renders as `''`).
 */
function stripStandaloneComments(body: Node[]): Node[] {
  const text = (n: Node | undefined) => (n?.kind === 'text' ? n : undefined);
  body.forEach((node, i) => {
    if (node.kind !== 'comment') return;
    const prev = body[i - 1];
    const next = body[i + 1];
    const prevText = text(prev);
    const nextText = text(next);
    const prevOk = !prev || (!!prevText && (i >= 2 ? /\r?\n\s*?$/ : /(^|\r?\n)\s*?$/).test(prevText.text));
    const nextOk =
      !next || (!!nextText && (i + 2 < body.length ? /^\s*?\r?\n/ : /^\s*?(\r?\n|$)/).test(nextText.text));
    if (!prevOk || !nextOk) return;
    if (prevText) prevText.text = prevText.text.replace(/[ \t]+$/, '');
    if (nextText) nextText.text = nextText.text.replace(/^[ \t]*\r?\n?/, '');
  });
  return body.filter((n) => n.kind !== 'comment' && !(n.kind === 'text' && n.text === ''));
}

function lookup(scope: Scope, path: string): unknown {
  let value: unknown = scope;
  // `this.sha`, `./sha` and `this/sha` all name `sha` of the current (only) context.
  const rest = path === 'this' || path === '.' ? '' : path.replace(/^(this|\.)[./]/, '');
  for (const part of rest ? rest.split(/[./]/) : []) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function evalParam(scope: Scope, param: Param): unknown {
  if ('literal' in param) return param.literal;
  const value = lookup(scope, param.path);
  return typeof value === 'function' ? (value as Helper)([], {}) : value;
}

function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toText(v)).join(',');
  if (typeof value === 'object') return '[object Object]'; // what Handlebars prints, too
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? `${value}` : '';
}

function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function renderNodes(nodes: Node[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'comment') {
      continue;
    } else if (node.kind === 'text') {
      out += node.text;
    } else if (node.kind === 'block') {
      const cond = truthy(evalParam(scope, node.param));
      const take = node.helper === 'if' ? cond : !cond;
      out += renderNodes(take ? node.body : node.inverse, scope);
    } else {
      const target = lookup(scope, node.path);
      let value: unknown;
      if (typeof target === 'function') {
        const hash: Record<string, TemplateValue> = {};
        for (const [k, p] of Object.entries(node.hash)) hash[k] = evalParam(scope, p) as TemplateValue;
        value = (target as Helper)(
          node.params.map((p) => evalParam(scope, p) as TemplateValue),
          hash,
        );
      } else if (node.params.length > 0 || Object.keys(node.hash).length > 0) {
        throw new UserError(`unknown helper "${node.path}"`);
      } else {
        value = target;
      }
      const text = toText(value);
      out += node.raw ? text : escapeHtml(text);
    }
  }
  return out;
}

/** Renders `source` with `scope` (values and helpers). Unknown names render as ''. */
export function render(source: string, scope: Scope): string {
  if (!source.includes('{{')) return source.replace(/\\\{\{/g, '{{');
  return renderNodes(parseTemplate(source), scope);
}

/** True when the template is exactly one `{{raw}}` expression (metadata-action's `isRawStatement`). */
export function isRawStatement(source: string): boolean {
  try {
    // Like Handlebars' parseWithoutProcessing: comments still count as statements.
    const nodes = parseTemplate(source, false);
    return nodes.length === 1 && nodes[0].kind === 'mustache' && nodes[0].path === 'raw';
  } catch {
    return false;
  }
}
