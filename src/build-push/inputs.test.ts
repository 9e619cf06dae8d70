import { describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../core/inputs.js';
import { getInputs, getStepInputs } from './inputs.js';

const read = (values: Record<string, string>) => getInputs(new InputReader(inputsFrom(values)));
const errorOf = (values: Record<string, string>) => {
  try {
    read(values);
  } catch (e: unknown) {
    return String(e);
  }
  return 'no error';
};

describe('build-push inputs', () => {
  it('has defaults that build the working directory and push with retries', () => {
    expect(read({})).toMatchObject({
      context: '.',
      push: true,
      cache: true,
      maxParallel: 2,
      retries: 5,
      retryDelayMs: 2000,
      logout: true,
      builder: 'auto',
      provenance: false,
    });
  });

  it('reads tags per line or comma, build-args and labels with commas and shell characters intact', () => {
    const i = read({
      tags: 'r/a:1\nr/a:latest, r/a:sha-1',
      'build-args': 'BASE=shipkit/base:bookworm\nMSG=a,b `c` $(d)',
      labels: 'org.opencontainers.image.title=a=b,c',
      'max-size': '15MB',
    });
    expect(i.tags).toEqual(['r/a:1', 'r/a:latest', 'r/a:sha-1']);
    expect(i.buildArgs).toEqual([
      ['BASE', 'shipkit/base:bookworm'],
      ['MSG', 'a,b `c` $(d)'],
    ]);
    expect(i.labels).toEqual([['org.opencontainers.image.title', 'a=b,c']]);
    expect(i.maxSize).toBe(15_000_000);
  });

  it('refuses an injected tag with the input and line named', () => {
    expect(errorOf({ tags: 'r/a:1\n$(touch /tmp/skbp-pwned)' })).toBe(
      'input "tags" line 2: invalid image reference "$(touch /tmp/skbp-pwned)" (expected [registry/]name[:tag], lower-case name)',
    );
  });

  it('wants tag names, not references, with a compose file', () => {
    expect(read({ 'compose-file': 'c.yml', tags: '1.2.3' }).tags).toEqual(['1.2.3']);
    expect(errorOf({ 'compose-file': 'c.yml', tags: 'r/a:1' })).toMatch(
      /^input "tags" line 1: with compose-file, tags are tag names/,
    );
  });

  it('refuses malformed build args, sizes and builders', () => {
    expect(errorOf({ 'build-args': 'A=1\n`x`=2' })).toBe(
      'input "build-args" line 2: expected NAME=value, got "`x`=2"',
    );
    expect(errorOf({ 'max-size': 'huge' })).toMatch(/input "max-size"/);
    expect(errorOf({ builder: 'kaniko' })).toMatch(/input "builder": unknown value "kaniko"/);
    expect(errorOf({ 'max-parallel': '0' })).toMatch(/input "max-parallel"/);
  });
});

describe('getStepInputs: the environment comes with the inputs (issue 13 item 4)', () => {
  it('carries the environment it was given, not the process’s, for compose, credentials and meta', () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_REF: 'refs/tags/v1.2.3', CI_REGISTRY_PASSWORD: 'x' };
    const i = getStepInputs(new InputReader(inputsFrom({ tags: 'r/app:1' })), env);
    expect(i.env).toBe(env);
    expect(i.tags).toEqual(['r/app:1']);
  });
});
