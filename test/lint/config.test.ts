import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { configFromEnv, findConfigFile, mergeConfig, parseConfigText } from '../../src/lint/config.js';

describe('config file', () => {
  it('reads every key', () => {
    const c = parseConfigText(
      [
        'failure-threshold: warning',
        'format: json',
        'ignored: [DL3008, SC2046]',
        'trustedRegistries: [docker.io, "*.gcr.io"]',
        'override: {error: [DL3001], style: [DL3059]}',
        'label-schema: {author: text, version: semver}',
        'strict-labels: true',
        'no-fail: true',
        'disable-ignore-pragma: true',
      ].join('\n'),
      '.hadolint.yaml',
    );
    expect(c).toMatchObject({
      failureThreshold: 'warning',
      formats: ['json'],
      ignored: ['DL3008', 'SC2046'],
      trustedRegistries: ['docker.io', '*.gcr.io'],
      override: { error: ['DL3001'], style: ['DL3059'] },
      labelSchema: { author: 'text', version: 'semver' },
      strictLabels: true,
      noFail: true,
      disableIgnorePragma: true,
    });
  });
  it('none means ignore; formats list', () => {
    expect(parseConfigText('failure-threshold: none\nformats: [sarif, json]\n', 'f')).toMatchObject({
      failureThreshold: 'ignore',
      formats: ['sarif', 'json'],
    });
  });
  it.each([
    ['YAML error with its line', 'ignored: [DL3008\nformat: tty\n', /^\.hadolint\.yaml:\d+: invalid YAML/],
    [
      'unknown severity with line',
      'format: tty\nfailure-threshold: loud\n',
      /^\.hadolint\.yaml:2: failure-threshold: unknown severity "loud"/,
    ],
    ['unknown format', 'format: xml\n', /^\.hadolint\.yaml:1: format: unknown format "xml"/],
    ['unknown label type', 'label-schema: {a: number}\n', /unknown label type "number"/],
  ])('%s → one UserError line', (_n, text, re) => {
    let err: unknown;
    try {
      parseConfigText(text, '.hadolint.yaml');
    } catch (e: unknown) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect(String(err)).toMatch(re);
    expect(String(err)).not.toContain('\n');
  });
});

describe('environment and merging', () => {
  it('reads HADOLINT_* variables', () => {
    const c = configFromEnv({
      HADOLINT_NOFAIL: 'YES',
      HADOLINT_STRICT_LABELS: 'nope',
      HADOLINT_FORMAT: 'json,sarif',
      HADOLINT_FAILURE_THRESHOLD: 'error',
      HADOLINT_OVERRIDE_ERROR: 'DL3001, DL3002',
      HADOLINT_IGNORE: 'DL3008',
      HADOLINT_TRUSTED_REGISTRIES: 'my.io',
      HADOLINT_REQUIRE_LABELS: 'version:semver,owner:text',
      NO_COLOR: 'false',
    });
    expect(c).toMatchObject({
      noFail: true,
      strictLabels: false,
      noColor: true,
      formats: ['json', 'sarif'],
      failureThreshold: 'error',
      override: { error: ['DL3001', 'DL3002'] },
      ignored: ['DL3008'],
      trustedRegistries: ['my.io'],
      labelSchema: { version: 'semver', owner: 'text' },
    });
  });
  it('later scalars win, lists concatenate (env ⊕ file ⊕ CLI)', () => {
    const c = mergeConfig(
      { failureThreshold: 'error', ignored: ['A'], formats: ['json'] },
      { failureThreshold: 'warning', ignored: ['B'], noFail: true },
      { ignored: ['C'], formats: ['sarif'], noFail: false },
    );
    expect(c.failureThreshold).toBe('warning');
    expect(c.ignored).toEqual(['A', 'B', 'C']);
    expect(c.formats).toEqual(['json', 'sarif']);
    expect(c.noFail).toBe(false);
  });
  it('looks up .hadolint.yaml in the cwd first, then XDG, then home', () => {
    const root = mkdtempSync(join(tmpdir(), 'sklint-cfg-'));
    const cwd = join(root, 'proj');
    const home = join(root, 'home');
    mkdirSync(cwd);
    mkdirSync(join(home, '.config'), { recursive: true });
    const env = { HOME: home };
    expect(findConfigFile(cwd, env)).toBeUndefined();
    writeFileSync(join(home, '.hadolint.yaml'), '');
    expect(findConfigFile(cwd, env)).toBe(join(home, '.hadolint.yaml'));
    writeFileSync(join(home, '.config', 'hadolint.yml'), '');
    expect(findConfigFile(cwd, env)).toBe(join(home, '.config', 'hadolint.yml'));
    writeFileSync(join(cwd, '.hadolint.yml'), '');
    expect(findConfigFile(cwd, env)).toBe(join(cwd, '.hadolint.yml'));
  });
});
