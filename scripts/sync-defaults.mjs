#!/usr/bin/env node
// Writes the default of every pass-through — a reusable workflow input, a GitLab component input, a
// variable of the plain GitLab pipeline or of the Jenkinsfile that feeds a step input — from the step's
// actions/<step>/action.yml, so that the one place a default is written by hand stays action.yml. A
// pass-through keeps a default at all only where it cannot be empty (numbers, booleans, a name that also
// names a concurrency or resource group); the generated value carries a trailing marker
// `# from actions/<step>/action.yml` (with `(input)` when the names differ), and a component's `options:`
// are copied from the step's choices the same way. Only the value and the marker are rewritten: the rest
// of the file, comments and formatting included, stays byte for byte (node ranges of the `yaml` Document
// API). A deliberate difference keeps its `# shipkit: own-default (why)` / `own-options (why)` marker and
// is left alone. `npm run gen` runs this; `node scripts/sync-defaults.mjs --check` exits 1 when a file
// is stale (CI), naming each place.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { passThroughs } from './check-interface.mjs';
import { readInterface, stepNames } from './gen-interface.mjs';

/** The marker of a generated value at the end of its line (YAML `#` or Groovy `//`). */
export const GENERATED = /\s(?:#|\/\/) from actions\/[a-z-]+\/action\.yml(?: \([A-Za-z0-9_-]+\))?\s*$/;
const JENKINSFILE = join('pipelines', 'jenkins', 'Jenkinsfile');
const JENKINS_STEPS = { bluegreen: 'blue-green' };

/**
 * Pass-throughs of the Jenkinsfile: `--flag "$VAR"` of a `shipkit <step>` call where VAR is a literal of
 * the `environment {}` block (kind jenkins-env, generated like a YAML default), and `--flag literal`
 * (kind jenkins-literal: a value the pipeline chose; the check refuses one equal to the step default),
 * and `--flag "$P"` where P is a `choice(…)` parameter (kind jenkins-choice: its choices are generated
 * from the step's, the step's default first, as Jenkins preselects the first).
 */
export function jenkinsPassThroughs(root) {
  const text = readFileSync(join(root, JENKINSFILE), 'utf8');
  const env = {};
  for (const m of text.matchAll(/^ {4}([A-Z][A-Z0-9_]*) = '([^'\\$]*)'(.*)$/gm))
    env[m[1]] = { value: m[2], generated: GENERATED.test(m[3]) };
  const params = {};
  for (const m of text.matchAll(/choice\(name: '([A-Z][A-Z0-9_]*)', choices: \[([^\]]*)\](.*)$/gm))
    params[m[1]] = {
      options: [...m[2].matchAll(/'([^']*)'/g)].map((o) => o[1]),
      generated: GENERATED.test(m[3]),
    };
  const rows = [];
  for (const line of text.split('\n')) {
    const call = /\bsh 'shipkit ([a-z-]+)/.exec(line);
    if (!call) continue;
    const step = JENKINS_STEPS[call[1]] ?? call[1];
    for (const m of line.matchAll(/ --([a-z0-9-]+) ("?\$[A-Z0-9_]+"?|[^\s"'$]+)/g)) {
      const v = /^"?\$([A-Z0-9_]+)"?$/.exec(m[2]);
      const base = {
        file: JENKINSFILE,
        step,
        input: m[1],
        own: /\/\/\s*shipkit:\s*own-default\b/.test(line),
      };
      if (!v) rows.push({ ...base, kind: 'jenkins-literal', outer: `--${m[1]}`, default: m[2], generated: false });
      else if (params[v[1]]) {
        // A choice parameter: Jenkins preselects its first choice, so that one is the default.
        const p = params[v[1]];
        rows.push({ ...base, kind: 'jenkins-choice', outer: v[1], default: p.options[0] ?? '', options: p.options, generated: p.generated }); // prettier-ignore
      } else if (env[v[1]])
        rows.push({ ...base, kind: 'jenkins-env', outer: v[1], default: env[v[1]].value, generated: env[v[1]].generated }); // prettier-ignore
    }
  }
  return rows;
}

const marker = (step, input, outer, groovy) =>
  ` ${groovy ? '//' : '#'} from actions/${step}/action.yml${input === outer ? '' : ` (${input})`}`;

/** A default as the place writes it: typed where the place is typed, a string elsewhere. */
function render(row, value, existing) {
  if (existing !== undefined && existing.value === value) return existing.source;
  if (row.kind === 'jenkins-env') return `'${value}'`;
  if (row.kind !== 'variables' && ['number', 'boolean'].includes(row.type)) return value;
  return stringify(value).trimEnd();
}

/**
 * The edits that make every pass-through's default (and a component's options) the step's, as
 * `{ file, start, end, text }` over the file's text, plus one line per problem (steps that disagree,
 * a comment that would be lost, a value the place cannot hold).
 */
export function plannedEdits(rows, interfaces, root) {
  const groups = new Map();
  for (const r of rows) {
    if (r.kind === 'jenkins-literal') continue;
    const key = `${r.file}\0${r.outer}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const texts = new Map();
  const load = (file) => {
    if (!texts.has(file)) {
      const text = readFileSync(join(root, file), 'utf8');
      texts.set(file, { text, docs: file.endsWith('Jenkinsfile') ? [] : parseAllDocuments(text) });
    }
    return texts.get(file);
  };
  const edits = [];
  const problems = [];
  for (const group of groups.values()) {
    const r = group[0];
    if (group.some((g) => g.own) || r.default === '') continue;
    const withDefault = group.filter((g) => interfaces[g.step]?.inputs[g.input]?.default !== undefined);
    const values = new Set(withDefault.map((g) => interfaces[g.step].inputs[g.input].default));
    const { text, docs } = load(r.file);
    if (values.size > 1) {
      problems.push(`${r.file}: ${r.outer} feeds inputs with different defaults (${withDefault.map((g) => `${g.step}.${g.input}`).join(', ')}): split it or mark it own-default`); // prettier-ignore
      continue;
    }
    const src = withDefault[0];
    const value = values.size ? [...values][0] : undefined;
    if (r.kind === 'jenkins-choice') {
      const edit = choiceEdit(r, text, group.find((g) => interfaces[g.step]?.inputs[g.input]?.options), interfaces); // prettier-ignore
      if (edit) edits.push(edit);
      continue;
    }
    const place = locate(r, text, docs);
    if (!place) continue;
    const mark = src ? marker(src.step, src.input, r.outer, r.kind === 'jenkins-env') : '';
    if (value === undefined && !GENERATED.test(place.tail)) {
      // A value no step default backs (wiring, e.g. the smoke URL): the place's own, left alone.
    } else if (/[\n'\\]/.test(value ?? ''))
      problems.push(`${r.file}: ${r.outer}: the step default cannot be written here`);
    else if (place.tail.replace(GENERATED, '').trim() !== '')
      problems.push(`${r.file}:${place.line}: ${r.outer}: move the comment above the line (the generated marker goes there)`); // prettier-ignore
    else {
      // Without a step default (any more), the value keeps its text and loses its stale marker.
      const valueText = value === undefined ? place.source : render(r, value, place);
      edits.push({ file: r.file, start: place.start, end: place.lineEnd, text: valueText + mark });
    }
    const chooser = group.find((g) => interfaces[g.step]?.inputs[g.input]?.options);
    const options = chooser && interfaces[chooser.step].inputs[chooser.input].options;
    if (r.kind === 'component' && r.options && options && !group.some((g) => g.ownOptions)) {
      const mark = marker(chooser.step, chooser.input, r.outer, false);
      const node = docs[0].getIn([...r.path, 'options'], true);
      const end = text.indexOf('\n', node.range[1]);
      if (!node.flow) problems.push(`${r.file}: ${r.outer}: write options as a flow list [a, b]`);
      else
        edits.push({
          file: r.file,
          start: node.range[0],
          end,
          text: `[${options.map((o) => stringify(o).trimEnd()).join(', ')}]${mark}`,
        });
    }
  }
  return { edits, problems, texts };
}

/** The edit that writes a Jenkins choice parameter's choices from the step's, its default first. */
function choiceEdit(r, text, chooser, interfaces) {
  if (!chooser) return undefined;
  const spec = interfaces[chooser.step].inputs[chooser.input];
  const first = spec.default ?? spec.options[0];
  const list = [first, ...spec.options.filter((o) => o !== first)].map((o) => `'${o}'`).join(', ');
  const m = new RegExp(`choice\\(name: '${r.outer}', choices: (\\[[^\\]]*\\])`).exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length - m[1].length;
  const end = text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start);
  const rest = text.slice(start + m[1].length, end).replace(GENERATED, '');
  return {
    file: r.file,
    start,
    end,
    text: `[${list}]${rest}${marker(chooser.step, chooser.input, r.outer, true)}`,
  };
}

/** Where the value of a row's default sits in the file: offsets, its source, the rest of its line. */
function locate(row, text, docs) {
  let start;
  let end;
  let value;
  if (row.kind === 'jenkins-env') {
    const m = new RegExp(`^ {4}${row.outer} = '([^']*)'`, 'm').exec(text);
    if (!m) return undefined;
    start = m.index + m[0].length - m[1].length - 2;
    end = m.index + m[0].length;
    value = m[1];
  } else {
    const path = row.kind === 'variables' ? row.path : [...row.path, 'default'];
    const node = docs[0].getIn(path, true);
    if (!node?.range || typeof node.value === 'object') return undefined;
    [start, end] = node.range;
    value = String(node.value);
  }
  const lineEnd = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
  const line = text.slice(0, start).split('\n').length;
  return { start, lineEnd, source: text.slice(start, end), value, tail: text.slice(end, lineEnd), line };
}

/** The files as they should be: `[{ file, existing, content }]` for every file with a pass-through. */
export function expectedFiles(rows, interfaces, root) {
  const { edits, problems, texts } = plannedEdits(rows, interfaces, root);
  const out = [];
  for (const [file, { text }] of texts) {
    let content = text;
    for (const e of edits.filter((x) => x.file === file).sort((a, b) => b.start - a.start))
      content = content.slice(0, e.start) + e.text + content.slice(e.end);
    out.push({ file, existing: text, content });
  }
  return { files: out, problems };
}

/**
 * Writes (or with `check`, only compares) every file whose pass-through defaults differ from the steps'.
 * Returns the stale files and the problems; prints what it did.
 */
export function syncDefaults({ check = false } = {}) {
  const root = new URL('..', import.meta.url).pathname;
  const interfaces = Object.fromEntries(stepNames().map((s) => [s, readInterface(s)]));
  const { files, problems } = expectedFiles(passThroughs(), interfaces, root);
  const stale = files.filter((f) => f.existing !== f.content).map((f) => f.file);
  for (const p of problems) console.error(`problem: ${p}`);
  if (check) for (const f of stale) console.error(`stale (run npm run gen): ${f}`);
  else
    for (const f of files.filter((x) => x.existing !== x.content)) {
      writeFileSync(join(root, f.file), f.content);
      console.log(`defaults from action.yml written: ${f.file}`);
    }
  return { stale, problems };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes('--check');
  const { stale, problems } = syncDefaults({ check });
  process.exit(problems.length || (check && stale.length) ? 1 : 0);
}
