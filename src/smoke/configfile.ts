import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { UserError } from '../core/errors.js';
import { InputReader } from '../core/inputs.js';
import type { InputSource } from '../platform/types.js';
import { Inputs, readTarget, type TargetSpec } from './spec.js';

const TARGET_KEYS = new Set<string>(
  Object.values(Inputs).filter((k) => k !== Inputs.config && k !== Inputs.reportDir),
);

interface Located {
  value: string;
  line: number;
}

/** A YAML mapping as an input source: scalars as text, lists as lines, maps as `key=value` lines. */
function mapSource(
  map: YAMLMap,
  where: (n: Node | null | undefined) => number,
  file: string,
  path: string,
): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const line = where(pair.key as Node);
    if (!TARGET_KEYS.has(key)) {
      throw new UserError(`unknown key "${key}" (expected one of: ${[...TARGET_KEYS].join(', ')})`, {
        file,
        line,
        field: `${path}.${key}`,
      });
    }
    out.set(key, { value: toText(pair.value as Node, file, line, `${path}.${key}`), line });
  }
  return out;
}

function toText(node: Node | null, file: string, line: number, field: string): string {
  if (node === null || node === undefined) return '';
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  }
  if (isSeq(node)) return node.items.map((i) => toText(i as Node, file, line, field)).join('\n');
  if (isMap(node)) {
    return node.items
      .map(
        (p) => `${isScalar(p.key) ? String(p.key.value) : ''}=${toText(p.value as Node, file, line, field)}`,
      )
      .join('\n');
  }
  throw new UserError('unsupported YAML value', { file, line, field });
}

/**
 * Reads a smoke config file: `defaults:` (any target key) and `targets:` (a list of maps with at
 * least `url`). Keys are the step's input names; step inputs act as defaults under both.
 * Errors are `UserError`s that name the file, line and field (`targets[1].requests`).
 */
export async function loadConfigFile(file: string, inputs: InputSource): Promise<TargetSpec[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err: unknown) {
    throw new UserError(
      `cannot read the smoke config: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      { file, field: 'input "config"' },
    );
  }
  return parseConfig(text, file, inputs);
}

/** Parses config text (see {@link loadConfigFile}). */
export function parseConfig(text: string, file: string, inputs: InputSource): TargetSpec[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    throw new UserError(`invalid YAML: ${e.message.split('\n')[0]}`, { file, line: pos.line, col: pos.col });
  }
  const where = (n: Node | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : 1);
  const root = doc.contents;
  if (!isMap(root))
    throw new UserError('expected a mapping with `targets:` (and optional `defaults:`)', { file, line: 1 });
  let defaults = new Map<string, Located>();
  let targets: Node | undefined;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node;
    if (key === 'defaults') {
      if (!isMap(value))
        throw new UserError('expected a mapping', { file, line: where(pair.key), field: 'defaults' });
      defaults = mapSource(value, where, file, 'defaults');
    } else if (key === 'targets') targets = value;
    else
      throw new UserError(`unknown key "${key}" (expected defaults or targets)`, {
        file,
        line: where(pair.key),
        field: key,
      });
  }
  if (!isSeq(targets) || targets.items.length === 0) {
    throw new UserError('expected a non-empty list of targets', {
      file,
      line: where(targets),
      field: 'targets',
    });
  }
  return targets.items.map((item, i) => {
    const path = `targets[${i}]`;
    if (!isMap(item))
      throw new UserError('expected a mapping with at least `url`', {
        file,
        line: where(item as Node),
        field: path,
      });
    const own = mapSource(item, where, file, path);
    const source: InputSource = {
      get: (name) => own.get(name)?.value ?? defaults.get(name)?.value ?? inputs.get(name),
    };
    try {
      return readTarget(new InputReader(source));
    } catch (err: unknown) {
      if (!(err instanceof UserError)) throw err;
      const name = /^input "(.+)"$/.exec(err.location.field ?? '')?.[1] ?? '';
      const at = own.get(name)
        ? { line: own.get(name)!.line, field: `${path}.${name}` }
        : defaults.get(name)
          ? { line: defaults.get(name)!.line, field: `defaults.${name}` }
          : { line: where(item), field: `${path}.${name}` };
      throw new UserError(err.message, { file, ...at });
    }
  });
}
