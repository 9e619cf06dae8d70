#!/usr/bin/env node
// Generates each step's usage and inputs/outputs tables in actions/<step>/README.md from its action.yml,
// between `<!-- start usage -->` and `<!-- end usage -->` (the text around the markers is kept), so
// the docs cannot drift from the action. `node scripts/gen-docs.mjs --check` fails when out of date.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const START = '<!-- start usage -->';
const END = '<!-- end usage -->';

const cell = (text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();

/** The input's type as a reader sees it, inferred from its default and description. */
export function inputType(spec) {
  const d = spec.default;
  if (d === 'true' || d === 'false' || d === true || d === false) return 'boolean';
  if (d !== undefined && d !== '' && !Number.isNaN(Number(d))) return 'number';
  if (/one per line|multi-line|newline/i.test(spec.description ?? '')) return 'list';
  return 'string';
}

/** The generated block for one action: a usage snippet, then the inputs and outputs tables. */
export function renderUsage(step, action) {
  const inputs = Object.entries(action.inputs ?? {});
  const outputs = Object.entries(action.outputs ?? {});
  const example = inputs
    .filter(([, s]) => s.required)
    .map(([n]) => `    ${n}: ...`)
    .join('\n');
  const lines = [
    START,
    '```yaml',
    `- uses: <owner>/shipkit/actions/${step}@v1`,
    ...(example ? ['  with:', example] : []),
    '```',
    '',
    '### Inputs',
    '',
    '| Name | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...inputs.map(
      ([n, s]) =>
        `| \`${n}\` | ${inputType(s)} | ${s.default === undefined || s.default === '' ? (s.required ? '*required*' : '') : `\`${cell(s.default)}\``} | ${cell(s.description)} |`,
    ),
    '',
    '### Outputs',
    '',
    '| Name | Description |',
    '| --- | --- |',
    ...outputs.map(([n, s]) => `| \`${n}\` | ${cell(s.description)} |`),
    END,
  ];
  return lines.join('\n');
}

/** The whole page: existing prose around the markers is kept; a new page gets a title and summary. */
export function renderPage(step, action, existing) {
  const block = renderUsage(step, action);
  if (existing && existing.includes(START) && existing.includes(END)) {
    return (
      existing.slice(0, existing.indexOf(START)) + block + existing.slice(existing.indexOf(END) + END.length)
    );
  }
  return `# \`${step}\`\n\n${action.description ?? ''}\n\nCLI: \`shipkit ${step} --<input> <value> …\`\n\n${block}\n`;
}

export function steps() {
  return readdirSync(join(root, 'actions')).filter((d) => existsSync(join(root, 'actions', d, 'action.yml')));
}

export function expectedPages() {
  return steps().map((step) => {
    const action = parse(readFileSync(join(root, 'actions', step, 'action.yml'), 'utf8'));
    const path = join(root, 'actions', step, 'README.md');
    const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    return { step, path, existing, content: renderPage(step, action, existing) };
  });
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const page of expectedPages()) {
    if (page.existing === page.content) continue;
    stale++;
    if (check) console.error(`stale: ${page.path} (run npm run docs)`);
    else writeFileSync(page.path, page.content);
  }
  if (check && stale) process.exit(1);
  console.log(check ? 'docs are up to date' : `docs: ${stale} page(s) written`);
}
