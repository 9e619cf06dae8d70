import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingCommand } from '../helpers/host.js';
import { tempDir } from '../helpers/tmp.js';
import { lintFiles } from '../../src/lint/run.js';
import { DEFAULT_CONFIG, mergeConfig } from '../../src/lint/config.js';
import { MemoryPlatform } from '../../src/platform/memory.js';

const CLI = resolve('dist/cli/index.js');
const noShellcheck = missingCommand('shellcheck');

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  // A clean env: no CI markers, no HADOLINT_* from the developer's shell (TMPDIR: this run's own).
  const base = { PATH: process.env.PATH ?? '', HOME: cwd, TMPDIR: tmpdir(), ...env };
  const r = spawnSync('node', [CLI, 'lint', ...args], { cwd, env: base, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'sklint-itg-'));
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM debian:12\nARG NAME=x\nRUN echo $NAME $1 && [[ -f /x ]]\nRUN cd /tmp\n',
  );
  writeFileSync(join(dir, 'clean.Dockerfile'), 'FROM debian:12\nUSER 1000\nCMD ["true"]\n');
  writeFileSync(join(dir, 'broken.Dockerfile'), 'FROM debian:12\nFOO bar\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(noShellcheck)(`lint with the real shellcheck ${noShellcheck ?? ''}`, () => {
  it('reports SC codes at the RUN line with hadolint severities; exported ARGs are not SC2086', async () => {
    const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const { results } = await lintFiles([{ path: 'Dockerfile', text }], mergeConfig(DEFAULT_CONFIG), true);
    const sc = results[0].findings.filter((f) => f.code.startsWith('SC'));
    expect(sc.map((f) => [f.code, f.severity, f.line])).toEqual([
      ['SC2086', 'info', 3],
      ['SC3010', 'warning', 3],
      ['SC2164', 'warning', 4],
    ]);
  });
  it('heredoc bodies are checked with their own shebang (difference from hadolint#806)', async () => {
    const text =
      'FROM debian:12\nRUN <<EOF\n#!/bin/bash\nset -euo pipefail\n[[ -f /x ]] && echo $1\nEOF\nRUN <<EOF\n[[ -f /y ]]\nEOF\n';
    const { results } = await lintFiles([{ path: 'D', text }], mergeConfig(DEFAULT_CONFIG), true);
    const sc = results[0].findings.filter((f) => f.code.startsWith('SC'));
    expect(sc.map((f) => `${f.code}@${f.line}`)).toEqual(['SC2086@2', 'SC3010@7']);
  });
  it('# hadolint shell=powershell skips ShellCheck; SC codes obey pragmas and ignores', async () => {
    const text =
      'FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $1\n# hadolint shell=pwsh\nRUN echo $2\n';
    const { results } = await lintFiles([{ path: 'D', text }], mergeConfig(DEFAULT_CONFIG), true);
    expect(results[0].findings.filter((f) => f.code.startsWith('SC'))).toEqual([]);
  });
  it('1,500 RUN lines under ulimit -n 256: every RUN checked, no EMFILE (issue 12 item 5)', () => {
    const big = tempDir('sklint-runs-');
    const runs = Array.from({ length: 1500 }, (_, k) => `RUN echo step${k} $HOME`);
    writeFileSync(join(big, 'Dockerfile'), ['FROM debian:12', ...runs, ''].join('\n'));
    const r = spawnSync(
      'bash',
      ['-c', `ulimit -n 256 && exec node ${CLI} lint -f json --no-fail Dockerfile`],
      {
        cwd: big,
        env: { PATH: process.env.PATH ?? '', HOME: big, TMPDIR: tmpdir() },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const found = JSON.parse(r.stdout) as { code: string; line: number }[];
    const sc = found.filter((f) => f.code === 'SC2086');
    expect(sc).toHaveLength(1500);
    expect(new Set(sc.map((f) => f.line)).size).toBe(1500);
  });
  it('warns once when shellcheck is missing', async () => {
    const platform = new MemoryPlatform(false);
    const files = [1, 2].map((n) => ({ path: `D${n}`, text: 'FROM a:1\nRUN echo $1\nRUN echo $2\n' }));
    const run = await lintFiles(files, mergeConfig(DEFAULT_CONFIG), true, platform, 'shellcheck-not-here');
    expect(run.shellcheckMissing).toBe(true);
    expect(platform.lines.filter((l) => l.level === 'warning')).toHaveLength(1);
  });
});

describe('built CLI bundle', () => {
  it('hadolint-style flags: -f json --ignore, exit 1 on findings', () => {
    const r = cli(['-f', 'json', '--ignore', 'DL3003', '--ignore', 'SC3010', 'Dockerfile'], dir);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { code: string; line: number }[];
    expect(json.map((f) => `${f.code}@${f.line}`)).toEqual(['SC2086@3', 'SC2164@4']);
  });
  it('exit 0 on a clean file; --no-fail; -t error', () => {
    expect(cli(['clean.Dockerfile'], dir).code).toBe(0);
    expect(cli(['--no-fail', 'Dockerfile'], dir).code).toBe(0);
    expect(cli(['-t', 'error', 'Dockerfile'], dir).code).toBe(0);
  });
  it('parse error: DL1000 in json, exit 1, no stack', () => {
    const r = cli(['-f', 'json', 'broken.Dockerfile'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ code: 'DL1000', line: 2, column: 1, level: 'error' }),
    ]);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
  it('bad input exits 2 with one line: unknown format, unreadable file, YAML error with line', () => {
    const fmt = cli(['-f', 'xml', 'Dockerfile'], dir);
    expect([fmt.code, fmt.stderr.trim().split('\n')]).toEqual([
      2,
      [expect.stringContaining('unknown format "xml"')],
    ]);
    const missing = cli(['missing.Dockerfile'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.Dockerfile');
    writeFileSync(join(dir, 'bad.yaml'), 'ignored: [DL3003\n');
    const yaml = cli(['-c', 'bad.yaml', 'Dockerfile'], dir);
    expect(yaml.code).toBe(2);
    // One line, compiler style: file:line: error: message.
    expect(yaml.stderr.trim()).toMatch(/^[^\n]*bad\.yaml:\d+: error: invalid YAML[^\n]*$/);
  });
  it('config file and HADOLINT_* env merge like hadolint', () => {
    writeFileSync(join(dir, '.hadolint.yaml'), 'ignored: [DL3003]\n');
    const r = cli(['-f', 'gnu', 'Dockerfile'], dir, {
      HADOLINT_IGNORE: 'SC3010,SC2164',
      HADOLINT_OVERRIDE_ERROR: 'SC2086',
    });
    expect(r.stdout.trim()).toBe(
      'hadolint:Dockerfile:3: SC2086 error: Double quote to prevent globbing and word splitting.',
    );
  });
  it('discovers Dockerfiles when no path is given; sarif/checkstyle to files via -o', () => {
    const r = cli(['-f', 'sarif', '-o', 'out.sarif', '-f', 'checkstyle', '-o', 'out.xml', '--no-fail'], dir);
    expect(r.code).toBe(0);
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }; // prettier-ignore
    const uris = new Set(
      sarif.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri),
    );
    expect([...uris].sort()).toEqual(['Dockerfile', 'broken.Dockerfile']);
    expect(readFileSync(join(dir, 'out.xml'), 'utf8')).toContain('<file name="clean.Dockerfile"/>');
  });
  it('--recursive takes the positional value as a **/ pattern (hadolint-action), --override-* and --trusted-registries', () => {
    const r = cli(['--recursive', '-f', 'gnu', '--no-fail', '--trusted-registries', 'my.reg', '--override-style', 'DL3026', '*.Dockerfile'], dir); // prettier-ignore
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'hadolint:clean.Dockerfile:1: DL3026 style: Use only an allowed registry in the FROM image',
    );
    expect(r.stdout).not.toMatch(/^hadolint:Dockerfile:/m);
  });
  it("on GitHub, a file named ::warning title=X::a.Dockerfile starts no line but shipkit's own commands", () => {
    const hostile = tempDir('sklint-hostile-');
    writeFileSync(join(hostile, '::warning title=X::a.Dockerfile'), 'FROM debian\nRUN cd /x\n');
    const out = join(hostile, 'out.txt');
    writeFileSync(out, '');
    const r = cli(['--no-fail', '--shellcheck', 'false'], hostile, {
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: out,
    });
    expect(r.code).toBe(0);
    const lines = (r.stdout + r.stderr).split('\n');
    const commands = lines.filter((l) => l.trimStart().startsWith('::'));
    expect(commands.filter((l) => !/^::(notice|warning|error) [^:]*::DL\d{4} /.test(l))).toEqual([]);
    expect(commands.length).toBe(2); // the two annotations, their file property escaped
    expect(commands[0]).toContain('file=%3A%3Awarning title=X%3A%3Aa.Dockerfile');
    expect(lines).toContain('./::warning title=X::a.Dockerfile:1 DL3006 warning: Always tag the version of an image explicitly'); // prettier-ignore
  });
  it('--help lists the hadolint flags', () => {
    const r = cli(['--help'], dir);
    expect(r.stdout).toContain('-f = --format');
    expect(r.stdout).toContain('--trusted-registry');
  });
});
