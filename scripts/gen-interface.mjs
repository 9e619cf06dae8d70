#!/usr/bin/env node
// Generates src/generated/<step>.ts from actions/<step>/action.yml: the one typed description of each
// step's interface (name, type, default, allowed values, description, secret, group, environment
// fallback of every input; every output) that the step code, the CLI help, the all-in-one action and
// the checks of the GitLab components and reusable workflows read. action.yml stays the only place an
// input's default is written. `node scripts/gen-interface.mjs --check` fails when a module is stale.
//
// Type and hints: the type is inferred from the default (true/false → boolean, a number → number,
// `30s`/`5m` → duration, `1MiB` → size) or from the description ("one per line" → list). What cannot be
// inferred is written as a YAML comment on the input's key line, which GitHub ignores:
//   lb: # shipkit: choice=nginx|haproxy group=advanced
// Keys: `type=<string|boolean|number|duration|size|list|choice>`, `choice=a|b|c` (allowed values,
// implies type choice), `group=<required|common|advanced>` (CLI help section), `secret` (masked,
// never printed), `env=NAME` (the environment variable the inputs layer reads when the input is empty),
// `computed` (no default in action.yml because the step computes it from other inputs, e.g. blue-green
// `lb-image` from `lb`: a workflow or component that passes the input through must leave it empty).
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import prettier from 'prettier';

const root = new URL('..', import.meta.url).pathname;
const TYPES = ['string', 'boolean', 'number', 'duration', 'size', 'list', 'choice'];
const SECRET_NAME = /(^|-)(token|password|secret|webhook-url)$/;

export function stepNames() {
  return readdirSync(join(root, 'actions'))
    .filter((d) => existsSync(join(root, 'actions', d, 'action.yml')))
    .sort();
}

/** `# shipkit: k=v k2 …` comments on the key lines of the `inputs:` section, by input name. */
function hints(text, file) {
  const out = {};
  let inInputs = false;
  text.split('\n').forEach((line, i) => {
    if (/^\S/.test(line)) inInputs = /^inputs:/.test(line);
    const m = inInputs && /^ {2}([A-Za-z0-9_-]+):\s*#\s*shipkit:\s*(.*)$/.exec(line);
    if (!m) return;
    const h = {};
    for (const token of m[2].trim().split(/\s+/)) {
      const [k, v] = token.split('=');
      if (k === 'secret' && v === undefined) h.secret = true;
      else if (k === 'computed' && v === undefined) h.computed = true;
      else if (k === 'type' && TYPES.includes(v)) h.type = v;
      else if (k === 'choice' && v) h.options = v.split('|');
      else if (k === 'group' && ['required', 'common', 'advanced'].includes(v)) h.group = v;
      else if (k === 'env' && /^[A-Z][A-Z0-9_]*$/.test(v ?? '')) h.env = v;
      else throw new Error(`${file}:${i + 1}: unknown shipkit hint "${token}" on input "${m[1]}"`);
    }
    out[m[1]] = h;
  });
  return out;
}

/** The type of an input whose action.yml gives no `type=`/`choice=` hint. */
export function inferType(spec) {
  const d = spec.default === undefined ? '' : String(spec.default);
  if (d === 'true' || d === 'false') return 'boolean';
  if (/^-?\d+(\.\d+)?$/.test(d)) return 'number';
  if (/^\d+(\.\d+)?(ms|s|m|h)$/.test(d)) return 'duration';
  if (/^\d+(\.\d+)?\s*(k|m|g)i?b$/i.test(d)) return 'size';
  if (/one per line|multi-line|newline-separated|per line/i.test(spec.description ?? '')) return 'list';
  return 'string';
}

/** The interface of one step as plain data, from its action.yml. Throws naming the file on a bad hint. */
export function readInterface(step) {
  const file = join('actions', step, 'action.yml');
  const text = readFileSync(join(root, file), 'utf8');
  const doc = parse(text) ?? {};
  const h = hints(text, file);
  const inputs = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    const hint = h[name] ?? {};
    const type = hint.options ? 'choice' : (hint.type ?? inferType(spec));
    const def = spec.default === undefined || spec.default === '' ? undefined : String(spec.default);
    if (hint.computed && def !== undefined)
      throw new Error(`${file}: input "${name}" is computed, so it cannot have a default`);
    if (hint.options && def !== undefined && !hint.options.includes(def))
      throw new Error(`${file}: input "${name}": default "${def}" is not one of ${hint.options.join('|')}`);
    inputs[name] = {
      type,
      description: String(spec.description ?? '').trim(),
      ...(def === undefined ? {} : { default: def }),
      ...(hint.options ? { options: hint.options } : {}),
      required: spec.required === true,
      secret: hint.secret ?? SECRET_NAME.test(name),
      group: hint.group ?? (spec.required === true ? 'required' : 'common'),
      ...(hint.env ? { env: hint.env } : {}),
      ...(hint.computed ? { computed: true } : {}),
    };
  }
  const outputs = {};
  for (const [name, spec] of Object.entries(doc.outputs ?? {}))
    outputs[name] = { description: String(spec.description ?? '').trim() };
  return { name: step, description: String(doc.description ?? '').trim(), inputs, outputs };
}

const ident = (step) => step.replace(/-(\w)/g, (_, c) => c.toUpperCase());

/** The TypeScript module for one step, formatted as prettier (the lint) wants it. */
export async function renderModule(step) {
  const iface = readInterface(step);
  const text = [
    `// Generated by scripts/gen-interface.mjs from actions/${step}/action.yml: edit that file, then run`,
    '// `npm run gen` (npm run build does it too). test/interface.test.ts fails when this file is stale.',
    "import type { StepInterface } from '../core/interface.js';",
    '',
    `export const ${ident(step)}Interface = ${JSON.stringify(iface, null, 2)} as const satisfies StepInterface;`,
    '',
  ].join('\n');
  const options = await prettier.resolveConfig(join(root, 'src', 'generated', `${step}.ts`));
  return prettier.format(text, { ...options, parser: 'typescript' });
}

export async function expectedModules() {
  return Promise.all(
    stepNames().map(async (step) => {
      const path = join(root, 'src', 'generated', `${step}.ts`);
      return {
        step,
        path,
        existing: existsSync(path) ? readFileSync(path, 'utf8') : undefined,
        content: await renderModule(step),
      };
    }),
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const check = process.argv.includes('--check');
  mkdirSync(join(root, 'src', 'generated'), { recursive: true });
  const stale = [];
  for (const m of await expectedModules()) {
    if (m.existing === m.content) continue;
    if (check) stale.push(m.path);
    else writeFileSync(m.path, m.content);
  }
  if (stale.length) {
    console.error(`stale (run npm run gen): ${stale.join(', ')}`);
    process.exit(1);
  }
}
