import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readInterface, stepNames } from '../scripts/gen-interface.mjs';
import { figures, passThroughs, problems, type PassThrough } from '../scripts/check-interface.mjs';
import { expectedFiles, GENERATED, jenkinsPassThroughs } from '../scripts/sync-defaults.mjs';

const interfaces = Object.fromEntries(stepNames().map((s) => [s, readInterface(s)]));
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
/** A temp root holding one file; returns the root. */
function rootWith(file: string, text: string): string {
  dir = mkdtempSync(join(tmpdir(), 'shipkit-sync-'));
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
  return dir;
}
const row = (over: Partial<PassThrough>): PassThrough => ({
  file: 'w.yml',
  kind: 'workflow',
  path: ['on', 'workflow_call', 'inputs', 'port'],
  outer: 'port',
  step: 'blue-green',
  input: 'port',
  default: '9090',
  type: 'number',
  ...over,
});

describe('pass-through defaults are generated from action.yml (scripts/sync-defaults.mjs)', () => {
  it('every workflow, component and pipeline in the repository is as `npm run gen` writes it', () => {
    const root = join(import.meta.dirname, '..');
    const { files, problems: found } = expectedFiles(passThroughs(), interfaces, root);
    expect(found).toEqual([]);
    expect(files.length).toBeGreaterThan(8);
    for (const f of files) expect(f.existing, `${f.file} (run npm run gen)`).toBe(f.content);
  });

  it('rewrites a drifted default and only it: comments, quotes and other lines stay byte for byte', () => {
    const text = [
      '# head comment',
      'on:',
      '  workflow_call:',
      '    inputs:',
      '      port: # shipkit hint kept',
      '        # why this input exists',
      '        description: "Port: ${{ not }} touched"',
      '        type: number',
      '        default: 9090',
      '      name:',
      "        default: 'app' # from actions/blue-green/action.yml",
      '',
    ].join('\n');
    const root = rootWith('w.yml', text);
    const rows = [row({}), row({ outer: 'name', input: 'name', default: 'app', type: 'string', path: ['on', 'workflow_call', 'inputs', 'name'] })]; // prettier-ignore
    const { files, problems: found } = expectedFiles(rows, interfaces, root);
    expect(found).toEqual([]);
    expect(files[0].content).toBe(
      text.replace('default: 9090', 'default: 8080 # from actions/blue-green/action.yml'),
    );
    // Written twice, nothing changes any more (the quoted 'app' keeps its quotes).
    writeFileSync(join(root, 'w.yml'), files[0].content);
    const again = expectedFiles(rows, interfaces, root).files[0];
    expect(again.content).toBe(again.existing);
  });

  it('writes a GitLab variable as a string, names the input when the names differ, keeps wiring values', () => {
    const text = 'variables:\n  SHIPKIT_PORT: 1e3\n  SHIPKIT_URL: http://x:8080/ # the dind host\n';
    const root = rootWith('p.yml', text);
    const base = { file: 'p.yml', kind: 'variables', type: undefined } as const;
    const rows = [
      row({ ...base, outer: 'SHIPKIT_PORT', path: ['variables', 'SHIPKIT_PORT'], default: '1000' }),
      row({ ...base, outer: 'SHIPKIT_URL', path: ['variables', 'SHIPKIT_URL'], step: 'smoke', input: 'url', default: 'http://x:8080/' }), // prettier-ignore
    ];
    const out = expectedFiles(rows, interfaces, root).files[0].content;
    expect(out).toBe(
      'variables:\n  SHIPKIT_PORT: "8080" # from actions/blue-green/action.yml (port)\n  SHIPKIT_URL: http://x:8080/ # the dind host\n',
    );
    expect(parseAllDocuments(out)[0].toJS()).toEqual({ variables: { SHIPKIT_PORT: '8080', SHIPKIT_URL: 'http://x:8080/' } }); // prettier-ignore
  });

  it('leaves own-defaults alone and refuses to drop a comment on a generated line', () => {
    const text = 'on:\n  workflow_call:\n    inputs:\n      port:\n        default: 9090 # keep me\n';
    const root = rootWith('w.yml', text);
    const own = expectedFiles([row({ own: true })], interfaces, root);
    expect(own.files).toEqual([]);
    const { files, problems: found } = expectedFiles([row({})], interfaces, root);
    expect(files[0].content).toBe(text);
    expect(found[0]).toMatch(/w\.yml:5: port: move the comment above the line/);
  });

  it('copies a component’s options from the step unless marked own-options', () => {
    const text = 'spec:\n  inputs:\n    format:\n      default: text\n      options: [text]\n---\njob: {}\n';
    const root = rootWith('t.yml', text);
    const r = row({ file: 't.yml', kind: 'component', path: ['spec', 'inputs', 'format'], outer: 'format', input: 'format', default: 'text', type: 'string', options: ['text'] }); // prettier-ignore
    expect(expectedFiles([r], interfaces, root).files[0].content).toBe(
      text
        .replace('default: text', 'default: text # from actions/blue-green/action.yml')
        .replace('[text]', '[text, json] # from actions/blue-green/action.yml'),
    );
    const subset = expectedFiles([{ ...r, ownOptions: true }], interfaces, root).files[0].content;
    expect(subset).toBe(text.replace('default: text', 'default: text # from actions/blue-green/action.yml'));
  });

  it('quotes a choice YAML would read as a boolean (GitLab options are strings)', () => {
    const text = 'spec:\n  inputs:\n    stack:\n      default: auto\n      options: [auto]\n';
    const root = rootWith('t.yml', text);
    const r = row({ file: 't.yml', kind: 'component', path: ['spec', 'inputs', 'stack'], outer: 'stack', step: 'lint', input: 'stack', default: 'auto', type: 'string', options: ['auto'] }); // prettier-ignore
    const out = expectedFiles([r], interfaces, root).files[0].content;
    expect(out).toContain('options: [auto, "true", "false"] # from actions/lint/action.yml');
    expect(
      (parseAllDocuments(out)[0].toJS() as { spec: { inputs: { stack: { options: string[] } } } }).spec.inputs
        .stack.options,
    ).toEqual(['auto', 'true', 'false']);
  });

  it('reports an outer input feeding two steps whose defaults differ', () => {
    const text = 'on:\n  workflow_call:\n    inputs:\n      port:\n        default: 1\n';
    const root = rootWith('w.yml', text);
    const rows = [row({ default: '1' }), row({ default: '1', step: 'smoke', input: 'min-backends' })];
    expect(expectedFiles(rows, interfaces, root).problems[0]).toMatch(/different defaults/);
  });

  it('Jenkinsfile: generates environment defaults, refuses a literal equal to the step default', () => {
    const text = [
      'pipeline {',
      "  parameters { choice(name: 'LB', choices: ['haproxy'], description: 'LB') }",
      '  environment {',
      "    APP = 'shop'",
      '  }',
      '  steps { sh \'shipkit bluegreen deploy --name "$APP" --port 8080 --lb haproxy\' }',
      '  steps { sh \'shipkit bluegreen promote --lb "$LB"\' }',
      '}',
      '',
    ].join('\n');
    const root = rootWith('pipelines/jenkins/Jenkinsfile', text);
    const rows = jenkinsPassThroughs(root);
    expect(rows.map((r) => [r.kind, r.input, r.default])).toEqual([
      ['jenkins-env', 'name', 'shop'],
      ['jenkins-literal', 'port', '8080'],
      ['jenkins-literal', 'lb', 'haproxy'],
      ['jenkins-choice', 'lb', 'haproxy'],
    ]);
    expect(problems(rows)).toEqual([
      expect.stringMatching(
        /APP → blue-green.name: default "shop", but the step's is "app" \(leave it empty, run npm run gen/,
      ),
      "pipelines/jenkins/Jenkinsfile: --port → blue-green.port 8080: the step's default (leave the flag out)",
      // lb is computed (nginx, or haproxy with engine swarm): a Jenkins choice must preselect one, and that is the pipeline's choice.
    ]);
    const out = expectedFiles(rows, interfaces, root).files[0].content;
    expect(out).toContain("    APP = 'app' // from actions/blue-green/action.yml (name)\n");
    expect(out).toContain(
      "choice(name: 'LB', choices: ['nginx', 'haproxy'], description: 'LB') } // from actions/blue-green/action.yml (lb)\n",
    );
    expect(GENERATED.test("    APP = 'app' // from actions/blue-green/action.yml (name)")).toBe(true);
  });

  it('the figure: every input’s default is written by hand once (its action.yml); own-defaults listed', () => {
    const f = figures();
    expect(f.problems).toEqual([]);
    expect(f.handCopies).toBe(0);
    expect(f.maxPlaces).toBe(1);
    expect(f.generatedPlaces).toBeGreaterThan(30);
    expect(f.ownDefaults.every((p) => p.key.startsWith('runner.'))).toBe(true);
  });
});
