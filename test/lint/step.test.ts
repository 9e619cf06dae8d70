import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/core/run.js';
import { inputsFrom } from '../../src/core/inputs.js';
import { GitLabPlatform } from '../../src/platform/gitlab.js';
import { readFileSync } from 'node:fs';
import { discover } from '../../src/lint/discover.js';
import { step } from '../../src/lint/step.js';
import { project, runLint as run } from './harness.js';

describe('lint step', () => {
  const dir = project({ Dockerfile: 'FROM debian\nRUN cd /x\n', 'ok/Dockerfile': 'FROM debian:12\n' });

  it('fails (exit 1) with findings, annotates each finding, summarises, counts', async () => {
    const { code, platform } = await run({ dockerfile: join(dir, 'Dockerfile') });
    expect(code).toBe(1);
    const warnings = platform.lines.filter(
      (l) => l.level === 'warning' && l.annotation?.title?.startsWith('DL'),
    );
    expect(warnings.map((w) => [w.annotation?.line, w.annotation?.title])).toEqual([
      [1, 'DL3006'],
      [2, 'DL3003'],
    ]);
    expect(platform.summaries.join('')).toContain(
      '| 2 | DL3003 | warning | Use WORKDIR to switch to a directory |',
    );
    expect(Object.fromEntries(platform.outputs)).toMatchObject({ warnings: '2', errors: '0', total: '2' });
  });
  it('passes (exit 0) on a clean file and with no-fail', async () => {
    expect((await run({ dockerfile: join(dir, 'ok/Dockerfile') })).code).toBe(0);
    expect((await run({ dockerfile: join(dir, 'Dockerfile'), 'no-fail': 'true' })).code).toBe(0);
  });
  it('failure threshold error lets warnings pass; codeclimate always exits 0', async () => {
    expect((await run({ dockerfile: join(dir, 'Dockerfile'), 'failure-threshold': 'error' })).code).toBe(0);
    expect((await run({ dockerfile: join(dir, 'Dockerfile'), format: 'codeclimate' })).code).toBe(0);
  });
  it('ignore and overrides from inputs', async () => {
    const { code, platform } = await run({
      dockerfile: join(dir, 'Dockerfile'),
      ignore: 'DL3006',
      style: 'DL3003',
    });
    expect(code).toBe(0); // a style finding is below the default threshold (info)
    expect(Object.fromEntries(platform.outputs)).toMatchObject({ styles: '1', total: '1' });
  });
  it('writes formats to output files, pairing them in order, and reports the paths', async () => {
    const out = join(dir, 'r.json');
    const { platform } = await run({
      dockerfile: join(dir, 'Dockerfile'),
      format: 'json\nsarif',
      'output-file': out,
      'no-fail': 'true',
    });
    expect(platform.outputs.get('reports')).toBe(out);
    expect(
      platform.lines.some((l) => l.message.includes('"$schema": "http://json.schemastore.org/sarif-2.1.0"')),
    ).toBe(true);
  });
  it('bad input: unreadable file and unknown severity → exit 2, one line naming it', async () => {
    const missing = await run({ dockerfile: join(dir, 'nope') });
    expect(missing.code).toBe(2);
    const error = missing.platform.lines.find((l) => l.level === 'error');
    expect(error?.annotation?.file).toMatch(/nope$/);
    expect(error?.message).toMatch(/cannot read Dockerfile: no such file$/);
    const sev = await run({ dockerfile: join(dir, 'Dockerfile'), 'failure-threshold': 'loud' });
    expect(sev.code).toBe(2);
  });
  it('a Dockerfile that does not parse is a DL1000 finding and exit 1', async () => {
    const bad = project({ Dockerfile: 'FROM a:1\nNOPE\n' });
    const { code, platform } = await run({ dockerfile: join(bad, 'Dockerfile') });
    expect(code).toBe(1);
    expect(platform.lines.some((l) => l.message.includes('Dockerfile:2:1 unexpected'))).toBe(true);
  });
});

describe('lint step on GitLab', () => {
  it('writes the Code Quality report (gitlab_codeclimate) and lists it in the reports output', async () => {
    const dir = project({ Dockerfile: 'FROM debian\n' });
    const report = join(dir, 'gl-code-quality-report.json');
    const lines: string[] = [];
    const platform = new GitLabPlatform(
      { SHIPKIT_DOTENV: join(dir, 'shipkit.env') },
      'lint',
      (t) => void lines.push(t),
    );
    const code = await execute(
      step,
      inputsFrom({ shellcheck: 'false', dockerfile: join(dir, 'Dockerfile'), 'codequality-report': report }),
      platform,
    );
    expect(code).toBe(1);
    const issues = JSON.parse(readFileSync(report, 'utf8')) as { check_name: string; fingerprint: string }[];
    expect(issues.map((i) => i.check_name)).toEqual(['DL3006']);
    expect(issues[0].fingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(readFileSync(join(dir, 'shipkit.env'), 'utf8')).toContain(`SHIPKIT_LINT_REPORTS=${report}`);
  });
});

describe('discovery', () => {
  it('finds Dockerfile, Dockerfile.*, *.Dockerfile and compose builds; respects .gitignore', () => {
    const dir = project({
      Dockerfile: '',
      'a/Dockerfile.dev': '',
      'b/api.Dockerfile': '',
      'c/Containerfile': '',
      'ignored/Dockerfile': '',
      'node_modules/x/Dockerfile': '',
      '.gitignore': 'ignored/\n',
      'svc/build.df': '',
      'docker-compose.yml':
        'services:\n  web:\n    build: {context: svc, dockerfile: build.df}\n  db:\n    image: postgres\n',
    });
    expect(discover('.', dir)).toEqual([
      'Dockerfile',
      'a/Dockerfile.dev',
      'b/api.Dockerfile',
      'svc/build.df',
    ]);
    expect(discover('a', dir)).toEqual(['a/Dockerfile.dev']);
  });
});
