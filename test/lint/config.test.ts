import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { configFromEnv, findConfigFile, mergeConfig, parseConfigText } from '../../src/lint/config.js';
import { tempDir } from '../helpers/tmp.js';

/** What parseConfigText throws for `text` read from .hadolint.yaml (undefined when it does not throw). */
function configError(text: string): unknown {
  try {
    parseConfigText(text, '.hadolint.yaml');
  } catch (e: unknown) {
    return e;
  }
  return undefined;
}

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
    const err = configError(text);
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
    const root = tempDir('sklint-cfg-');
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

describe('config file: wrong types are exit 2 naming file:line:key (issue 12 item 6)', () => {
  it.each([
    ['override as a list', 'format: tty\noverride: [DL3001]\n', /^\.hadolint\.yaml:2: override: expected a mapping of error\/warning\/info\/style to lists of codes, got a list$/], // prettier-ignore
    ['override.warning as a mapping', 'override:\n  error: DL3001\n  warning: {a: 1}\n', /^\.hadolint\.yaml:3: override\.warning: expected a list of strings, got a mapping$/], // prettier-ignore
    ['override item as a number', 'override:\n  info:\n    - DL3001\n    - 3002\n', /^\.hadolint\.yaml:4: override\.info\[1\]: expected a string, got 3002$/], // prettier-ignore
    ['label-schema as a list', 'label-schema: [author]\n', /^\.hadolint\.yaml:1: label-schema: expected a mapping of label names to types, got a list$/], // prettier-ignore
    ['label-schema value as a list', 'label-schema:\n  author: [text]\n', /^\.hadolint\.yaml:2: label-schema\.author: expected a label type .*, got a list$/], // prettier-ignore
    ['label-schema value as a number', 'label-schema:\n  version: 1\n', /^\.hadolint\.yaml:2: label-schema\.version: expected a label type .*, got 1$/], // prettier-ignore
    ['ignored item as a mapping', 'ignored:\n  - DL3008\n  - {DL3009: x}\n', /^\.hadolint\.yaml:3: ignored\[1\]: expected a string, got a mapping$/], // prettier-ignore
    ['ignored item as a number', 'ignored: [DL3008, 3009]\n', /^\.hadolint\.yaml:1: ignored\[1\]: expected a string, got 3009$/], // prettier-ignore
    ['ignored as a mapping', 'ignored:\n  DL3008: true\n', /^\.hadolint\.yaml:2: ignored: expected a list of strings, got a mapping$/], // prettier-ignore
    [
      'a boolean as a string',
      'no-fail: "yes"\n',
      /^\.hadolint\.yaml:1: no-fail: expected true or false, got "yes"$/,
    ],
    ['the whole file a list', '- ignored\n', /^\.hadolint\.yaml:1: \(top level\): expected a mapping of settings, got a list$/], // prettier-ignore
  ])('%s', (_n, text, re) => {
    const err = configError(text);
    expect(err).toBeInstanceOf(UserError);
    expect(String(err)).toMatch(re);
  });

  it('lenient where the meaning is plain: one code as a string, empty values', () => {
    expect(parseConfigText('ignored: DL3008\noverride:\n  error:\nlabel-schema:\n  a:\n', 'f')).toMatchObject(
      {
        ignored: ['DL3008'],
        override: { error: [] },
        labelSchema: { a: 'text' },
      },
    );
  });
});

describe('config file: unknown keys warn with the closest known key', () => {
  it.each([
    [
      'failureThreshhold: error\n',
      1,
      'unknown key "failureThreshhold" ignored (did you mean "failure-threshold"?)',
    ],
    ['ignored: [DL3008]\ntrusted-registries: [x]\n', 2, 'unknown key "trusted-registries" ignored (did you mean "trustedRegistries"?)'], // prettier-ignore
    [
      'override:\n  errors: [DL3001]\n',
      2,
      'unknown key "override.errors" ignored (did you mean "override.error"?)',
    ],
    ['labels-schema: {a: text}\n', 1, 'unknown key "labels-schema" ignored (did you mean "label-schema"?)'],
  ])('%j', (text, line, message) => {
    const warnings: { message: string; line?: number }[] = [];
    parseConfigText(text, '.hadolint.yaml', warnings as never);
    expect(warnings).toEqual([{ message, file: '.hadolint.yaml', line }]);
  });

  it('the known keys around an unknown one still apply', () => {
    const warnings: unknown[] = [];
    const c = parseConfigText('failureThreshhold: error\nignored: [DL3008]\n', 'f', warnings as never);
    expect(c.ignored).toEqual(['DL3008']);
    expect(c.failureThreshold).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
