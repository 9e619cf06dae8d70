import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { UserError } from '../core/errors.js';
import {
  parseFormat, parseLabels, parseSeverity, type LintConfig, type PartialConfig, type Where,
} from './config-values.js'; // prettier-ignore

/** Something in a config file that is ignored, with where it is. */
export interface ConfigWarning {
  message: string;
  file: string;
  line?: number;
}

/** The keys hadolint reads from `.hadolint.yaml`. */
export const CONFIG_KEYS = [
  'failure-threshold', 'format', 'formats', 'ignored', 'trustedRegistries', 'override', 'label-schema',
  'strict-labels', 'no-fail', 'no-color', 'verbose', 'disable-ignore-pragma',
] as const; // prettier-ignore
const OVERRIDE_KEYS = ['error', 'warning', 'info', 'style'] as const;

/** Reads and validates a config file; YAML errors and bad values are UserErrors with file and line. */
export function loadConfigFile(file: string, warnings: ConfigWarning[] = []): PartialConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err: unknown) {
    throw new UserError(`cannot read config file: ${(err as Error).message}`, { file });
  }
  return parseConfigText(text, file, warnings);
}

/**
 * Parses `.hadolint.yaml` text. A value of the wrong type (a list where a mapping belongs, a
 * mapping among the codes of `ignored`, …) is a UserError naming file, line and key (hadolint
 * would drop the whole file); an unknown key is ignored with a warning naming the closest known key.
 */
export function parseConfigText(text: string, file: string, warnings: ConfigWarning[] = []): PartialConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lc });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    throw new UserError(`invalid YAML: ${msg}`, { file, line: lc.linePos(e.pos[0]).line });
  }
  const lineOf = (n: unknown): number | undefined => {
    const range = (n as Node | null | undefined)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  const at = (node: unknown, field: string): Where => ({ file, line: lineOf(node), field });
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return {};
  if (!isMap(root))
    throw new UserError(`expected a mapping of settings, got ${kind(root)}`, at(root, '(top level)'));

  const values = entries(root, '', CONFIG_KEYS, file, lineOf, warnings);
  const scalar = (key: string): string | undefined => {
    const node = values.get(key);
    if (node === undefined || isNull(node)) return undefined;
    if (!isScalar(node)) throw new UserError(`expected a single value, got ${kind(node)}`, at(node, key));
    return String(node.value);
  };
  const bool = (key: string): boolean | undefined => {
    const node = values.get(key);
    if (node === undefined || isNull(node)) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    throw new UserError(`expected true or false, got ${kind(node)}`, at(node, key));
  };
  const list = (node: Node | undefined, key: string): string[] => {
    if (node === undefined || isNull(node)) return [];
    if (isScalar(node) && typeof node.value === 'string') return [node.value];
    if (!isSeq(node)) throw new UserError(`expected a list of strings, got ${kind(node)}`, at(node, key));
    return node.items.map((item, k) => {
      if (isScalar(item) && typeof item.value === 'string') return item.value;
      throw new UserError(`expected a string, got ${kind(item)}`, at(item, `${key}[${k}]`));
    });
  };

  const out: PartialConfig = {};
  const threshold = scalar('failure-threshold');
  if (threshold !== undefined) out.failureThreshold = parseSeverity(threshold, at(values.get('failure-threshold'), 'failure-threshold')); // prettier-ignore
  for (const key of ['format', 'formats']) {
    const formats = list(values.get(key), key).map((f) => parseFormat(f, at(values.get(key), key)));
    if (formats.length) out.formats = [...(out.formats ?? []), ...formats];
  }
  out.ignored = list(values.get('ignored'), 'ignored');
  out.trustedRegistries = list(values.get('trustedRegistries'), 'trustedRegistries');
  out.override = overrides(values.get('override'));
  out.labelSchema = labelSchema(values.get('label-schema'));
  out.strictLabels = bool('strict-labels');
  out.noFail = bool('no-fail');
  out.noColor = bool('no-color');
  out.verbose = bool('verbose');
  out.disableIgnorePragma = bool('disable-ignore-pragma');
  for (const k of Object.keys(out) as (keyof PartialConfig)[]) if (out[k] === undefined) delete out[k];
  return out;

  function overrides(node: Node | undefined): Partial<LintConfig['override']> {
    if (node === undefined || isNull(node)) return {};
    if (!isMap(node)) throw new UserError(`expected a mapping of error/warning/info/style to lists of codes, got ${kind(node)}`, at(node, 'override')); // prettier-ignore
    const by = entries(node, 'override.', OVERRIDE_KEYS, file, lineOf, warnings);
    return Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, list(by.get(k), `override.${k}`)]));
  }

  function labelSchema(node: Node | undefined): LintConfig['labelSchema'] {
    if (node === undefined || isNull(node)) return {};
    if (!isMap(node)) throw new UserError(`expected a mapping of label names to types, got ${kind(node)}`, at(node, 'label-schema')); // prettier-ignore
    const schema: LintConfig['labelSchema'] = {};
    for (const pair of node.items) {
      const name = keyName(pair.key);
      const value = pair.value as Node | null;
      const field = `label-schema.${name}`;
      if (value !== null && !isNull(value) && !(isScalar(value) && typeof value.value === 'string'))
        throw new UserError(`expected a label type (text, url, semver, hash, rfc3339, spdx, email), got ${kind(value)}`, at(value, field)); // prettier-ignore
      const type = value === null || isNull(value) ? '' : String((value as { value: unknown }).value);
      Object.assign(schema, parseLabels([`${name}:${type}`], at(value ?? pair.key, field)));
    }
    return schema;
  }
}

/** A mapping's values by key; unknown keys warn with the closest known one. */
function entries(
  map: YAMLMap,
  prefix: string,
  known: readonly string[],
  file: string,
  lineOf: (n: unknown) => number | undefined,
  warnings: ConfigWarning[],
): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const pair of map.items) {
    const name = keyName(pair.key);
    if (!known.includes(name)) {
      warnings.push({
        message: `unknown key "${prefix}${name}" ignored (did you mean "${prefix}${closest(name, known)}"?)`,
        file,
        line: lineOf(pair.key),
      });
      continue;
    }
    out.set(name, pair.value as Node);
  }
  return out;
}

function keyName(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

const isNull = (n: Node): boolean => isScalar(n) && n.value === null;

function kind(n: unknown): string {
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return typeof n.value === 'string' ? `"${n.value}"` : JSON.stringify(n.value);
  return 'nothing';
}

/** The known name nearest to `name` (Levenshtein distance, case-insensitive). */
export function closest(name: string, known: readonly string[]): string {
  const d = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++)
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length];
  };
  const n = name.toLowerCase();
  return [...known].sort((a, b) => d(n, a.toLowerCase()) - d(n, b.toLowerCase()))[0];
}
