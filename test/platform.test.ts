import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitLabPlatform, dotenvName } from '../src/platform/gitlab.js';
import { LocalPlatform } from '../src/platform/local.js';
import { MemoryPlatform } from '../src/platform/memory.js';
import { Markdown, safeMd, mdCode, mdFence, mdTable, mdText } from '../src/platform/markdown.js';
import { inertLine, inertText } from '../src/platform/escape.js';
import { GitHubPlatform } from '../src/platform/github.js';
import { execute, ExitCode } from '../src/core/run.js';
import { defineStep } from '../src/core/step.js';
import { StepFailure, UserError } from '../src/core/errors.js';
import { inputsFrom, parseDuration, parseSize, InputReader } from '../src/core/inputs.js';
import { tempDir } from './helpers/tmp.js';

const tmp = () => tempDir('shipkit-platform-');

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
    await p.addSummary(safeMd`| token | ${'hunter2-secret'} |`);
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

describe('GitHub file commands', () => {
  /** The runner's reading of GITHUB_OUTPUT / GITHUB_STATE: `name=value` lines and `name<<DELIM` blocks. */
  function readFileCommands(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (!line) continue;
      const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
      if (!heredoc) throw new Error(`unexpected line ${JSON.stringify(line)}`);
      const end = lines.indexOf(heredoc[2], i + 1);
      if (end < 0) throw new Error(`no end for ${heredoc[2]}`);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    }
    return out;
  }

  it('outputs and state round-trip: multi-line and delimiter-like values, a fresh delimiter per value', () => {
    const dir = tmp();
    const env = { GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STATE: join(dir, 'state') };
    const p = new GitHubPlatform(env, () => undefined);
    const values = {
      plain: 'v1.2.3',
      multi: 'line one\nline two\n\nlast',
      fake: 'x\nghadelimiter_0000000000\nEOF\nother<<EOF\n::warning::no',
      empty: '',
    };
    for (const [k, v] of Object.entries(values)) p.setOutput(k, v);
    p.saveState('isPost', 'true');
    const text = readFileSync(env.GITHUB_OUTPUT, 'utf8');
    expect(readFileCommands(text)).toEqual(values);
    expect(readFileCommands(readFileSync(env.GITHUB_STATE, 'utf8'))).toEqual({ isPost: 'true' });
    const delimiters = [...text.matchAll(/^(?:plain|multi|fake|empty)<<(.+)$/gm)].map((m) => m[1]);
    expect(delimiters).toHaveLength(4);
    expect(new Set(delimiters).size).toBe(4);
    for (const d of delimiters) expect(d).toMatch(/^ghadelimiter_[\w-]{20,}$/);
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

describe('user text never becomes a workflow command', () => {
  it('quotes a line GitHub would read as a command and breaks a legacy ##[ anywhere', () => {
    expect(inertLine('::warning title=X::a=1')).toBe('> ::warning title=X::a=1');
    expect(inertLine(' \t::add-mask::x')).toBe('>  \t::add-mask::x');
    expect(inertLine('\u00a0::stop-commands::t')).toBe('> \u00a0::stop-commands::t');
    expect(inertLine('see ##[error]x')).toBe('see ##\u200b[error]x');
    expect(inertLine('a=1 ::warning::not at the start')).toBe('a=1 ::warning::not at the start');
    expect(inertText('ok\r::error::x\r\n::debug::y')).toBe('ok\n> ::error::x\n> ::debug::y');
    expect(inertText('plain text')).toBe('plain text');
  });
  it('GitHub: only the commands shipkit means start with "::"; their user parts are escaped', async () => {
    let out = '';
    const p = new GitHubPlatform({}, (t) => (out += t));
    p.info('labels:\n::warning title=X::a=1\n  ::stop-commands::tok');
    p.warning('bad\n::add-mask::x', { file: 'a::b,c.yml', line: 2, title: 't:1' });
    await p.group('Build\n::error::g', async () => p.debug('d\r::notice::n'));
    p.setSecret('s3cret\n::endgroup::');
    expect(out.split('\n')).toEqual([
      'labels:',
      '> ::warning title=X::a=1',
      '>   ::stop-commands::tok',
      '::warning title=t%3A1,file=a%3A%3Ab%2Cc.yml,line=2::bad%0A::add-mask::x',
      '::group::Build%0A::error::g',
      '::debug::d%0D::notice::n',
      '::endgroup::',
      '::add-mask::s3cret%0A::endgroup::',
      '::add-mask::s3cret',
      '::add-mask::::endgroup::',
      '',
    ]);
  });
  it('local and GitLab logs are made inert too (a CLI run inside a GitHub job)', async () => {
    let out = '';
    const local = new LocalPlatform(
      {},
      (t) => (out += t),
      (t) => (out += t),
      false,
    );
    local.error('x', { file: '::warning title=X::a.Dockerfile', line: 1 });
    const gitlab = new GitLabPlatform({}, 'lint', (t) => (out += t));
    gitlab.info('::add-mask::y');
    await gitlab.group('::error::z\n::notice::w', async () => undefined);
    expect(out.split(/\r\n|\r|\n/).filter((l) => /^\s*::/.test(l))).toEqual([]);
    expect(out).toContain('> ::warning title=X::a.Dockerfile:1: error: x');
  });
});

describe('job summary Markdown', () => {
  it('escapes user text: HTML, links, emphasis, table pipes, headings, code fences', () => {
    const name = '<img src=x onerror=alert(1)> [a](http://e) *b* | c\n# h';
    expect(safeMd`### ${name}`.text).toBe(
      '### &lt;img src=x onerror=alert(1)&gt; \\[a\\](http://e) \\*b\\* \\| c # h',
    );
    expect(mdText('# heading').text).toBe('\\# heading');
    expect(mdText('1. item').text).toBe('1\\. item');
    expect(mdText('3.2 s').text).toBe('3.2 s');
    expect(mdCode('a`b').text).toBe('``a`b``');
    expect(mdFence('mermaid', 'x\n```\n<b>').text).toBe('````mermaid\nx\n```\n<b>\n````');
    expect(mdTable(['A'], [[mdCode('x|y')]]).text).toBe('| A |\n|---|\n| `x\\|y` |');
    expect(safeMd`${safeMd`**kept**`} ${'**escaped**'}`.text).toBe('**kept** \\*\\*escaped\\*\\*');
  });
  it('cannot be made from a plain string', () => {
    expect(() => new Markdown(Symbol('markdown'), '<script>')).toThrow();
  });
});
