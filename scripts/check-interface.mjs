#!/usr/bin/env node
// Checks every place that passes a step input through — the reusable workflows in .github/workflows/,
// the GitLab components in templates/, the plain GitLab pipeline in pipelines/gitlab/ — against the
// step's action.yml (through scripts/gen-interface.mjs): a pass-through may leave its default empty
// (the step's default) or wire in a CI variable where the step has no default; it may repeat the
// step's default (counted: a second place to change) but never hard-code a different one, and its
// type and choices must be the step's. `node scripts/check-interface.mjs` prints the findings and the
// count of places where an input's default is written by hand; exit 1 on a problem. A pass-through that
// differs on purpose says so on its key line, `# shipkit: own-default (why)`; a component may also offer
// a subset of the step's choices (GitLab runners have no repo/org scope).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readInterface, stepNames } from './gen-interface.mjs';

const root = new URL('..', import.meta.url).pathname;
const STEP_WORDS = { bluegreen: 'blue-green', build: 'build-push' };
const stepOf = (word) => STEP_WORDS[word] ?? word;
/** Names whose key line carries `# shipkit: own-default` in `text`. */
const ownDefaults = (text) =>
  new Set([...text.matchAll(/^\s+([A-Za-z0-9_-]+):.*#\s*shipkit:\s*own-default\b/gm)].map((m) => m[1]));
const str = (v) => (v === undefined || v === null ? '' : Array.isArray(v) ? JSON.stringify(v) : String(v));

/** `{ file, outer, step, input, default, type, options }` for every input passed through to a step. */
export function passThroughs() {
  const rows = [];
  const wf = join(root, '.github', 'workflows');
  for (const f of readdirSync(wf).filter((n) => /\.ya?ml$/.test(n))) {
    const wfText = readFileSync(join(wf, f), 'utf8');
    const doc = parse(wfText);
    const own = ownDefaults(wfText);
    const declared = doc?.on?.workflow_call?.inputs ?? {};
    for (const job of Object.values(doc?.jobs ?? {}))
      for (const s of job?.steps ?? []) {
        const m = /\/actions\/([a-z-]+)@/.exec(s?.uses ?? '');
        if (!m) continue;
        for (const [input, value] of Object.entries(s.with ?? {})) {
          const ref = /^\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(str(value).trim());
          if (!ref || !declared[ref[1]]) continue;
          const d = declared[ref[1]];
          rows.push({ file: `.github/workflows/${f}`, outer: ref[1], step: m[1], input, default: str(d.default), type: d.type, options: d.options, own: own.has(ref[1]) }); // prettier-ignore
        }
      }
  }
  const tpl = join(root, 'templates');
  for (const name of readdirSync(tpl).filter((n) => existsSync(join(tpl, n, 'template.yml')))) {
    const [header, body] = readFileSync(join(tpl, name, 'template.yml'), 'utf8').split(/^---$/m);
    const spec = parse(header)?.spec?.inputs ?? {};
    const own = ownDefaults(header);
    for (const line of body.split('\n')) {
      const call = /\$\[\[ inputs\.cli \]\] ([a-z-]+)/.exec(line);
      if (!call) continue;
      for (const m of line.matchAll(/--([a-z0-9-]+)[ =]"?\$\[\[ inputs\.([a-z0-9-]+) \]\]"?/g)) {
        const d = spec[m[2]];
        if (!d) continue;
        rows.push({ file: `templates/${name}/template.yml`, outer: m[2], step: stepOf(call[1]), input: m[1], default: str(d.default), type: d.type, options: d.options, own: own.has(m[2]) }); // prettier-ignore
      }
    }
  }
  const pipeline = join('pipelines', 'gitlab', 'shipkit.gitlab-ci.yml');
  const text = readFileSync(join(root, pipeline), 'utf8');
  const vars = parse(text)?.variables ?? {};
  const ownVars = ownDefaults(text);
  for (const line of text.split('\n')) {
    const call = /\$SHIPKIT ([a-z-]+)/.exec(line);
    if (!call) continue;
    for (const m of line.matchAll(/--([a-z0-9-]+)[ =]"?\$([A-Z0-9_]+)"?/g)) {
      if (!(m[2] in vars)) continue;
      rows.push({ file: pipeline, outer: m[2], step: stepOf(call[1]), input: m[1], default: str(vars[m[2]]), own: ownVars.has(m[2]) }); // prettier-ignore
    }
  }
  return rows;
}

const TYPES = { boolean: ['boolean'], number: ['number'] };

/** The problems of the pass-throughs, one line each (empty when all agree with the steps). */
export function problems(rows = passThroughs()) {
  const ifaces = Object.fromEntries(stepNames().map((s) => [s, readInterface(s)]));
  const out = [];
  for (const r of rows) {
    const spec = ifaces[r.step]?.inputs[r.input];
    const at = `${r.file}: ${r.outer} → ${r.step}.${r.input}`;
    if (!spec) {
      out.push(`${at}: actions/${r.step}/action.yml has no input "${r.input}"`);
      continue;
    }
    const d = r.default;
    // Where the step has no default and computes none, a pipeline's value is its own choice (wiring).
    if (spec.computed && d !== '')
      out.push(`${at}: default "${d}", but the step computes it from other inputs (leave it empty)`);
    if (spec.default !== undefined && d !== '' && d !== spec.default && !r.own)
      out.push(`${at}: default "${d}", but the step's is "${spec.default}" (leave it empty)`);
    if (r.type && TYPES[r.type] && !TYPES[r.type].includes(spec.type))
      out.push(`${at}: type ${r.type}, but the step's input is ${spec.type}`);
    if (r.options && !(spec.options && r.options.every((o) => spec.options.includes(o))))
      out.push(`${at}: options ${JSON.stringify(r.options)}, but the step allows ${JSON.stringify(spec.options ?? 'any value')}`); // prettier-ignore
  }
  return out;
}

/**
 * Literal defaults in step code for inputs whose action.yml has one: `r.int(Inputs.port, 8080, …)`,
 * `?? 'literal'` after a read of such an input. The StepReader refuses them at run time as well.
 */
export function codeDefaults() {
  const found = [];
  const src = join(root, 'src');
  const files = readdirSync(src, { recursive: true }).filter(
    (f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f),
  );
  const withDefault = new Set(
    stepNames().flatMap((s) => Object.entries(readInterface(s).inputs).filter(([, v]) => v.default !== undefined).map(([n]) => n)), // prettier-ignore
  );
  const camel = (n) => n.replace(/-(\w)/g, (_, c) => c.toUpperCase());
  const names = new Set([...withDefault].flatMap((n) => [camel(n), `'${n}'`]));
  const call =
    /\.(string|bool|int|number|duration|choice)\(\s*(?:Inputs|I)\.(\w+),\s*('[^']*'|-?[\d_.]+|true|false)/g;
  const coalesce =
    /\.(?:optional|raw|size)\(\s*(?:Inputs|I)\.(\w+)\)\s*\?\?\s*('[^']*'|-?[\d_.]+|true|false)/g;
  for (const f of files) {
    const text = readFileSync(join(src, f), 'utf8');
    for (const re of [call, coalesce])
      for (const m of text.matchAll(re)) {
        const input = re === call ? m[2] : m[1];
        if (names.has(input)) found.push(`src/${f}: ${m[0]}`);
      }
  }
  return found;
}

/** Places an input's default is written by hand, per input with a default: 1 is its action.yml. */
export function defaultCounts(rows = passThroughs()) {
  const counts = {};
  for (const s of stepNames())
    for (const [n, spec] of Object.entries(readInterface(s).inputs))
      if (spec.default !== undefined) counts[`${s}.${n}`] = 1;
  for (const r of rows) {
    const key = `${r.step}.${r.input}`;
    if (r.default !== '' && counts[key] !== undefined) counts[key] += 1;
  }
  for (const line of codeDefaults()) {
    const m = /Inputs|I\.(\w+)/.exec(line);
    const hit = Object.keys(counts).find((k) => m && k.endsWith(`.${m[1]}`));
    if (hit) counts[hit] += 1;
  }
  return counts;
}

/** The figures of issue 13: where defaults are written, besides each input's action.yml. */
export function figures() {
  const rows = passThroughs();
  const counts = defaultCounts(rows);
  const values = Object.values(counts);
  const copies = rows.filter((r) => r.default !== '' && counts[`${r.step}.${r.input}`] !== undefined);
  return {
    inputsWithDefault: values.length,
    passThroughs: rows.length,
    codeCopies: codeDefaults().length,
    yamlCopies: copies.length,
    maxPlaces: Math.max(...values),
    problems: [...problems(rows), ...codeDefaults().map((l) => `${l}: a default already in action.yml`)],
    counts,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const f = figures();
  console.log(
    `inputs with a default in action.yml: ${f.inputsWithDefault}; pass-throughs checked: ${f.passThroughs}`,
  );
  console.log(`defaults written again in src/ (goal 0): ${f.codeCopies}`);
  console.log(`pass-throughs that repeat the step's default (equal, checked by CI): ${f.yamlCopies}`);
  console.log(`most places one input's default is written by hand: ${f.maxPlaces} (goal 1)`);
  for (const [k, n] of Object.entries(f.counts)) if (n > 1) console.log(`  ${k}: ${n}`);
  for (const line of f.problems) console.error(`problem: ${line}`);
  process.exit(f.problems.length ? 1 : 0);
}
