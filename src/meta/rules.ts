import { UserError } from '../core/errors.js';
import { csvFields, splitField } from './csv.js';

/** The rule types of metadata-action's `tags` input. */
export const RuleTypes = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'] as const;
export type RuleType = (typeof RuleTypes)[number];

/** Higher runs first; the first rule that yields a value gives the main version. */
export const DefaultPriorities: Record<RuleType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};

/** Used when the `tags` input is empty. */
export const DefaultRules = [
  'type=schedule',
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr',
];

export interface TagRule {
  type: RuleType;
  /** Every attribute as written (keys lower-cased), plus the defaults of its type. */
  attrs: Record<string, string>;
  priority: number;
  /** The line as written, for messages. */
  source: string;
  /** 1-based line in the input, for messages. */
  line: number;
}

function fail(input: string, line: number, message: string): never {
  throw new UserError(message, { field: `input "${input}" line ${line}` });
}

/** Parses one `tags` line (`type=semver,pattern={{version}}`); a bare value means `type=raw`. */
export function parseRule(source: string, line = 1): TagRule {
  const attrs: Record<string, string> = {};
  let type: RuleType | undefined;
  for (const field of csvFields(source)) {
    const parts = splitField(field);
    if (parts.length === 1) {
      attrs.value = parts[0];
      continue;
    }
    const key = parts[0].toLowerCase();
    if (key === 'type') {
      if (!(RuleTypes as readonly string[]).includes(parts[1]))
        fail('tags', line, `unknown tag type "${parts[1]}" (expected one of: ${RuleTypes.join(', ')})`);
      type = parts[1] as RuleType;
    } else {
      attrs[key] = parts[1];
    }
  }
  type ??= 'raw';
  const has = (k: string) => Object.prototype.hasOwnProperty.call(attrs, k);
  const need = (k: string) => {
    if (!has(k)) fail('tags', line, `type=${type} needs a ${k} attribute: "${source}"`);
  };
  switch (type) {
    case 'schedule':
      if (!has('pattern')) attrs.pattern = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      need('pattern');
      attrs.value ??= '';
      attrs.match ??= '';
      break;
    case 'match':
      need('pattern');
      attrs.group ??= '0';
      attrs.value ??= '';
      if (Number.isNaN(Number(attrs.group)))
        fail('tags', line, `group must be a number, got "${attrs.group}": "${source}"`);
      break;
    case 'edge':
      attrs.branch ??= '';
      break;
    case 'ref':
      need('event');
      if (!['branch', 'tag', 'pr'].includes(attrs.event))
        fail('tags', line, `unknown event "${attrs.event}" (expected branch, tag or pr): "${source}"`);
      if (attrs.event === 'pr' && !has('prefix')) attrs.prefix = 'pr-';
      break;
    case 'raw':
      need('value');
      break;
    case 'sha':
      if (!has('prefix')) attrs.prefix = 'sha-';
      attrs.format ??= 'short';
      if (!['short', 'long'].includes(attrs.format))
        fail('tags', line, `format must be short or long, got "${attrs.format}": "${source}"`);
      break;
  }
  attrs.enable ??= 'true';
  // Not checked, as in metadata-action: `priority=` is 0, a non-number compares equal to anything.
  attrs.priority ??= String(DefaultPriorities[type]);
  return { type, attrs, priority: Number(attrs.priority), source, line };
}

/**
 * Parses the `tags` input (defaults when empty) and orders the rules by priority, highest first.
 * The comparator is metadata-action's, on the same engine's stable sort, so even rules with a
 * non-numeric priority end up in the same order.
 */
export function parseRules(lines: readonly string[]): TagRule[] {
  const given = lines.length > 0;
  const rules = (given ? lines : DefaultRules).map((l, i) => parseRule(l, given ? i + 1 : 0));
  return rules.sort((a, b) => (a.priority < b.priority ? 1 : a.priority > b.priority ? -1 : 0));
}

/** The `flavor` input: the `latest` tag policy and a global prefix / suffix. */
export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  prefixLatest: boolean;
  suffix: string;
  suffixLatest: boolean;
}

/** Parses the `flavor` lines; `onlatest` binds to the prefix/suffix written before it on its line. */
export function parseFlavor(lines: readonly string[]): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
  lines.forEach((source, i) => {
    let onlatestFor = '';
    for (const field of csvFields(source)) {
      const parts = splitField(field);
      if (parts.length === 1) fail('flavor', i + 1, `expected key=value, got "${field}"`);
      const [key, value] = parts;
      switch (key) {
        case 'latest':
          if (!['auto', 'true', 'false'].includes(value))
            fail('flavor', i + 1, `latest must be auto, true or false, got "${value}"`);
          flavor.latest = value as Flavor['latest'];
          break;
        case 'prefix':
        case 'suffix':
          flavor[key] = value;
          onlatestFor = key;
          break;
        case 'onlatest':
          if (!['true', 'false'].includes(value))
            fail('flavor', i + 1, `onlatest must be true or false, got "${value}"`);
          if (onlatestFor === 'prefix') flavor.prefixLatest = value === 'true';
          if (onlatestFor === 'suffix') flavor.suffixLatest = value === 'true';
          break;
        default:
          fail('flavor', i + 1, `unknown flavor entry "${key}" (expected latest, prefix, suffix, onlatest)`);
      }
    }
  });
  return flavor;
}

export interface ImageSpec {
  name: string;
  enable: boolean;
}

/**
 * Parses the `images` input: one image per line, `name=<img>,enable=<bool>`, or (backwards
 * compatible) a single line of comma-separated names. Names are lower-cased.
 */
export function parseImages(lines: readonly string[]): ImageSpec[] {
  if (lines.length === 1) {
    const fields = csvFields(lines[0]);
    // An empty name (`user/app,`) is kept as metadata-action keeps it: it gives bare tag names.
    if (fields.every((f) => splitField(f).length === 1)) {
      return fields.map((f) => ({ name: f.trim().toLowerCase(), enable: true }));
    }
  }
  return lines.map((source, i) => {
    const image: ImageSpec = { name: '', enable: true };
    for (const field of csvFields(source)) {
      const parts = splitField(field);
      if (parts.length === 1) {
        image.name = parts[0].toLowerCase();
        continue;
      }
      const key = parts[0].toLowerCase();
      if (key === 'name') image.name = parts[1].toLowerCase();
      else if (key === 'enable') {
        if (!['true', 'false'].includes(parts[1]))
          fail('images', i + 1, `enable must be true or false, got "${parts[1]}"`);
        image.enable = parts[1] === 'true';
      } else fail('images', i + 1, `unknown image attribute "${key}" (expected name, enable)`);
    }
    if (!image.name) fail('images', i + 1, `image name is empty: "${source}"`);
    return image;
  });
}
