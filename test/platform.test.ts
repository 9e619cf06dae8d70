import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitLabPlatform, dotenvName } from '../src/platform/gitlab.js';
import { LocalPlatform } from '../src/platform/local.js';
import { MemoryPlatform } from '../src/platform/memory.js';
import { execute, ExitCode } from '../src/core/run.js';
import { defineStep } from '../src/core/step.js';
import { StepFailure, UserError } from '../src/core/errors.js';
import { inputsFrom, parseDuration, parseSize, InputReader } from '../src/core/inputs.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'shipkit-platform-'));

function fakeStep(main: () => Promise<void>, post?: () => Promise<void>) {
  return defineStep({
    name: 'fake',
    summary: 'test step',
    inputs: { Token: 'token' } as const,
    outputs: {} as const,
    getInputs: (r) => ({ token: r.optional('token') }),
    main: () => main(),
    post: post && (() => post()),
  });
}

describe('execute', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });
  it('maps UserError to exit 2 with the file:line in front and an annotation', async () => {
    const p = new MemoryPlatform();
    const code = await execute(
      fakeStep(() => Promise.reject(new UserError('bad key', { file: 'a.yml', line: 3, field: 'tags' }))),
      inputsFrom({}),
      p,
    );
    expect(code).toBe(ExitCode.BadInput);
    expect(p.lines.at(-1)).toMatchObject({
      level: 'error',
      message: 'tags: bad key',
      annotation: { file: 'a.yml', line: 3 },
    });
  });
  it('maps StepFailure to exit 1 without a stack', async () => {
    const p = new MemoryPlatform();
    const code = await execute(
      fakeStep(() => Promise.reject(new StepFailure('2 findings'))),
      inputsFrom({}),
      p,
    );
    expect(code).toBe(ExitCode.Failed);
    expect(p.text()).not.toContain('at ');
  });
  it('fails on a thrown string instead of passing silently', async () => {
    const p = new MemoryPlatform();
    const code = await execute(
      fakeStep(() =>
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the point of the test
        Promise.reject('boom'),
      ),
      inputsFrom({}),
      p,
    );
    expect(code).toBe(ExitCode.Failed);
    expect(p.text()).toContain('error: boom');
  });
  it('turns a failing post phase into a warning and success', async () => {
    const p = new MemoryPlatform();
    const step = fakeStep(
      () => Promise.resolve(),
      () => Promise.reject(new Error('docker gone')),
    );
    expect(await execute(step, inputsFrom({}), p, 'post')).toBe(ExitCode.Ok);
    expect(p.lines.at(-1)).toMatchObject({ level: 'warning', message: 'fake cleanup: docker gone' });
  });
});

describe('secret masking', () => {
  it('redacts registered secrets from every line, summary and error', async () => {
    const p = new MemoryPlatform();
    p.setSecret('hunter2-secret');
    p.info('login with hunter2-secret');
    p.error('failed: token hunter2-secret rejected');
    await p.addSummary('| token | hunter2-secret |');
    expect(p.text() + p.summaries.join()).not.toContain('hunter2-secret');
    expect(p.text()).toContain('login with ***');
  });
  it('redacts in local CLI output too', () => {
    let out = '';
    const p = new LocalPlatform(
      {},
      (t) => (out += t),
      (t) => (out += t),
      false,
    );
    p.setSecret('xoxb-123-abc');
    p.info('token=xoxb-123-abc');
    p.warning('retrying with xoxb-123-abc');
    expect(out).not.toContain('xoxb-123-abc');
    expect(out).toContain('token=***');
  });
});

describe('GitLab platform', () => {
  it('writes outputs to the dotenv report with step-prefixed names and escaped newlines', async () => {
    const file = join(tmp(), 'out.env');
    const p = new GitLabPlatform({ SHIPKIT_DOTENV: file }, 'build-push', () => undefined);
    p.setOutput('digest', 'sha256:abc');
    p.setOutput('tags', 'a:1\na:latest');
    await p.flush();
    expect(readFileSync(file, 'utf8')).toBe(
      'SHIPKIT_BUILD_PUSH_DIGEST=sha256:abc\nSHIPKIT_BUILD_PUSH_TAGS=a:1\\na:latest\n',
    );
    expect(dotenvName('blue-green', 'live-colour')).toBe('SHIPKIT_BLUE_GREEN_LIVE_COLOUR');
  });
  it('folds groups into collapsible sections', async () => {
    let out = '';
    const p = new GitLabPlatform({}, 'lint', (t) => (out += t));
    await p.group('Lint Dockerfiles', async () => p.info('inside'));
    expect(out).toMatch(/section_start:\d+:shipkit_\d+\[collapsed=false\]\r\x1b\[0KLint Dockerfiles\n/);
    expect(out).toMatch(/inside\n.*section_end:\d+:shipkit_\d+/s);
  });
});

/** The one line a thrown error prints as (`String(err)`: the input's name in front). */
function errText(fn: () => unknown): string {
  try {
    fn();
  } catch (e: unknown) {
    return String(e);
  }
  return 'no error';
}

describe('input reader', () => {
  const r = new InputReader(
    inputsFrom({ n: 'x', d: '2m', s: '15MB', b: 'maybe', c: 'JSON', l: 'a, b\n# c\nd' }),
  );
  it('names the input and the accepted values in errors', () => {
    const err = (() => {
      try {
        r.int('n', 1);
      } catch (e: unknown) {
        return e;
      }
    })();
    expect(String(err)).toBe('input "n": expected a whole number, got "x"');
    expect(() => r.bool('b', false)).toThrow('expected true or false, got "maybe"');
    expect(() => r.choice('n', ['json', 'tty'], 'tty')).toThrow('expected one of: json, tty');
  });
  it('takes plain decimal whole numbers only: no exponent, hex or fraction', () => {
    const of = (v: string) =>
      new InputReader(inputsFrom({ port: v })).int('port', 8080, { min: 1, max: 65535 });
    for (const bad of ['1e3', '1E3', '0x10', '0b1', '0o7', '10.0', '1_000', 'Infinity', ' 1e1 '])
      expect(
        errText(() => of(bad)),
        bad,
      ).toBe(`input "port": expected a whole number, got "${bad.trim()}"`);
    expect(of('1000')).toBe(1000);
    expect(of('0080')).toBe(80);
    expect(of(' 443 ')).toBe(443);
  });
  it('refuses a zero duration where one is marked positive, and names the input', () => {
    const z = new InputReader(inputsFrom({ t: '0', u: '0s', v: '0.0001ms' }));
    for (const n of ['t', 'u', 'v'])
      expect(errText(() => z.duration(n, 1000, { positive: true }))).toMatch(
        `input "${n}": must be more than 0`,
      );
    expect(z.duration('t', 1000)).toBe(0);
  });
  it('parses durations, sizes, lists and choices', () => {
    expect(r.duration('d', 0)).toBe(120_000);
    expect(r.size('s')).toBe(15_000_000);
    expect(r.choice('c', ['json', 'tty'], 'tty')).toBe('json');
    expect(r.list('l')).toEqual(['a', 'b', 'd']);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseSize('1KiB')).toBe(1024);
    expect(parseSize('12 parsecs')).toBeUndefined();
  });
});
