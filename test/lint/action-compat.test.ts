import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { globRecursive } from '../../src/lint/discover.js';
import { resolvePaths } from '../../src/lint/step.js';
import { project as makeProject, runLint as run } from './harness.js';

// Every input of hadolint/hadolint-action v3 (reference/hadolint.md §8): a workflow switches to
// shipkit by changing only `uses:`.
const HADOLINT_ACTION_INPUTS = [
  'dockerfile', 'config', 'recursive', 'output-file', 'no-color', 'no-fail', 'verbose', 'format',
  'failure-threshold', 'override-error', 'override-warning', 'override-info', 'override-style', 'ignore',
  'trusted-registries',
]; // prettier-ignore
const HADOLINT_ACTION_OUTPUTS = ['results'];

const project = (files: Record<string, string>) => makeProject(files, 'sklint-compat-');

describe('hadolint-action inputs', () => {
  it('actions/lint/action.yml accepts every hadolint-action input and sets its output', () => {
    const action = parse(readFileSync('actions/lint/action.yml', 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
    };
    expect(HADOLINT_ACTION_INPUTS.filter((n) => !(n in action.inputs))).toEqual([]);
    expect(HADOLINT_ACTION_OUTPUTS.filter((n) => !(n in action.outputs))).toEqual([]);
  });

  const F = project({ Dockerfile: 'FROM debian:12\nRUN cd /x\nMAINTAINER me\n' });
  const file = join(F, 'Dockerfile');

  it('override-error|warning|info|style change severities as error|warning|info|style do', async () => {
    const { out } = await run({ dockerfile: file, 'override-info': 'DL3003', 'override-style': 'DL4000', 'no-fail': 'true' }); // prettier-ignore
    expect(out).toMatchObject({ errors: '0', warnings: '0', infos: '1', styles: '1' });
    const both = await run({
      dockerfile: file,
      'override-error': 'DL3003',
      style: 'DL3003',
      'no-fail': 'true',
    });
    expect(both.out).toMatchObject({ errors: '2' }); // error wins, as in hadolint
  });

  it('override lists are comma-separated, as hadolint-action passes them to HADOLINT_OVERRIDE_*', async () => {
    const { out } = await run({ dockerfile: file, 'override-warning': 'DL3003, DL4000', 'no-fail': 'true' });
    expect(out).toMatchObject({ errors: '0', warnings: '2' });
  });

  it('trusted-registries enables DL3026; empty means no check', async () => {
    const on = await run({ dockerfile: file, 'trusted-registries': 'my.reg,*.gcr.io', 'no-fail': 'true' });
    expect(on.platform.lines.some((l) => /Dockerfile:1 DL3026 error/.test(l.message))).toBe(true);
    const hub = await run({ dockerfile: file, 'trusted-registries': 'docker.io', 'no-fail': 'true' });
    expect(hub.platform.lines.some((l) => l.message.includes('DL3026'))).toBe(false);
    const empty = await run({ dockerfile: file, 'trusted-registries': '', 'no-fail': 'true' });
    expect(empty.platform.lines.some((l) => l.message.includes('DL3026'))).toBe(false);
  });

  it("results holds the report, as hadolint-action's output of that name (also with an output file)", async () => {
    const { out } = await run({ dockerfile: file, 'no-fail': 'true' });
    expect(out.results).toBe(
      `${file}:2 DL3003 warning: Use WORKDIR to switch to a directory\n` +
        `${file}:3 DL4000 error: MAINTAINER is deprecated`,
    );
    const json = await run({
      dockerfile: file,
      format: 'json',
      'output-file': join(F, 'r.json'),
      'no-fail': 'true',
    });
    expect((JSON.parse(json.out.results) as { code: string }[]).map((f) => f.code)).toEqual(['DL3003', 'DL4000']); // prettier-ignore
  });

  it('recursive with a pattern that matches nothing: exit 2 naming the input', async () => {
    const { code, platform } = await run({
      dockerfile: 'nothing-matches-this-*.Dockerfile',
      recursive: 'true',
    });
    expect(code).toBe(2);
    expect(platform.lines.find((l) => l.level === 'error')?.message).toMatch(/input "dockerfile".*no file matches \*\*\/nothing-matches-this/); // prettier-ignore
  });
});

describe('recursive: **/<pattern> as bash globstar finds it', () => {
  const dir = project({
    Dockerfile: 'FROM a:1\n',
    'sub/Dockerfile': 'FROM a:1\n',
    'sub/deep/er/Dockerfile': 'FROM a:1\n',
    'sub/Dockerfile.dev': 'FROM a:1\n',
    'api.Dockerfile': 'FROM a:1\n',
    'svc/web.Dockerfile': 'FROM a:1\n',
    '.hidden/Dockerfile': 'FROM a:1\n',
    'sub/.x.Dockerfile': 'FROM a:1\n',
    'vendored/node_modules/pkg/Dockerfile': 'FROM a:1\n',
    'docker/prod/Dockerfile': 'FROM a:1\n',
    'notdocker/prod/Dockerfile': 'FROM a:1\n',
  });
  symlinkSync(join(dir, 'sub'), join(dir, 'link'));

  it('Dockerfile at every depth; hidden folders and symlinked folders skipped; node_modules not special', () => {
    expect(globRecursive('Dockerfile', dir)).toEqual([
      'Dockerfile',
      'docker/prod/Dockerfile',
      'notdocker/prod/Dockerfile',
      'sub/Dockerfile',
      'sub/deep/er/Dockerfile',
      'vendored/node_modules/pkg/Dockerfile',
    ]);
  });
  it('wildcards stay within a name and never match a leading dot', () => {
    expect(globRecursive('*.Dockerfile', dir)).toEqual(['api.Dockerfile', 'svc/web.Dockerfile']);
    expect(globRecursive('.*.Dockerfile', dir)).toEqual(['sub/.x.Dockerfile']);
    expect(globRecursive('Dockerfile.???', dir)).toEqual(['sub/Dockerfile.dev']);
    expect(globRecursive('Dockerfile[.]*', dir)).toEqual(['sub/Dockerfile.dev']);
  });
  it('a pattern with a folder matches that folder at any depth, whole names only', () => {
    expect(globRecursive('docker/prod/Dockerfile', dir)).toEqual(['docker/prod/Dockerfile']);
    expect(globRecursive('./prod/Dockerfile', dir)).toEqual([
      'docker/prod/Dockerfile',
      'notdocker/prod/Dockerfile',
    ]);
  });
  it('resolvePaths: no dockerfile means **/Dockerfile; several patterns add up', () => {
    expect(resolvePaths([], dir, true)).toHaveLength(6);
    expect(resolvePaths(['api.Dockerfile', 'Dockerfile.dev'], dir, true)).toEqual(['api.Dockerfile', 'sub/Dockerfile.dev']); // prettier-ignore
    // without recursive, an empty list still discovers (shipkit's own default)
    expect(resolvePaths([], dir, false)).toContain('api.Dockerfile');
  });
  it('regular-expression characters in a pattern are literal', () => {
    expect(globRecursive('api+.Dockerfile', dir)).toEqual([]);
    expect(globRecursive('(a|b)', dir)).toEqual([]);
  });
});
