// Issue 12, item 3: no user-controlled text may become a GitHub workflow command. Every input of
// every step gets a hostile value, one input at a time, and the step runs for real on a real
// GitHubPlatform whose output is captured. The log is then read the way GitHub's runner reads it
// (actions/runner, src/Runner.Common/ActionCommand.cs): a line that, after leading white space,
// starts with `::`, or holds the legacy `##[`, is a command. The only commands allowed are the
// ones shipkit issues itself, and none of them may carry what the hostile value tried to say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { execute } from '../src/core/run.js';
import { inputsFrom } from '../src/core/inputs.js';
import { GitHubPlatform } from '../src/platform/github.js';
import { STEPS } from '../src/steps.js';

const root = join(import.meta.dirname, '..');
const MARK = 'PWNED';
const hostile = (dir: string) =>
  [
    `${dir}/x`,
    `::warning title=${MARK}::w`,
    `::add-mask::${MARK}`,
    `  ::stop-commands::${MARK}`,
    `##[warning]${MARK}`,
    `::error::${MARK} $HOME \${X} $(id) \`id\` <img src=x onerror=alert(1)> | # h`,
  ].join('\n') + `\r::notice title=${MARK}::cr`;

/** What a line is to GitHub's runner: a command (name, properties, data) or plain text. */
function parseCommand(
  line: string,
): { form: 'v2' | 'v1'; name: string; props: Record<string, string>; data: string } | undefined {
  const t = line.replace(/^[\s\x85\ufeff]+/, '');
  if (t.startsWith('::')) {
    const end = t.indexOf('::', 2);
    if (end >= 0) {
      const info = t.slice(2, end);
      const sp = info.indexOf(' ');
      const name = sp < 0 ? info : info.slice(0, sp);
      const props: Record<string, string> = {};
      if (sp > 0)
        for (const p of info.slice(sp + 1).split(',')) {
          const eq = p.indexOf('=');
          if (eq > 0) props[p.slice(0, eq)] = decodeURIComponent(p.slice(eq + 1));
        }
      return { form: 'v2', name, props, data: t.slice(end + 2) };
    }
  }
  const at = line.indexOf('##[');
  const rb = at < 0 ? -1 : line.indexOf(']', at);
  if (rb >= 0)
    return { form: 'v1', name: line.slice(at + 3, rb).split(' ')[0], props: {}, data: line.slice(rb + 1) };
  return undefined;
}

const INTENDED = new Set(['error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'add-mask']);

/** Lines of `out` that GitHub would run as a command shipkit did not mean, with the reason. */
export function injectedCommands(out: string): string[] {
  const bad: string[] = [];
  for (const line of out.split(/\r\n|\r|\n/)) {
    const c = parseCommand(line);
    if (!c) {
      if (/^\s*::/.test(line)) bad.push(`starts with "::" but is no command shipkit issues: ${line}`);
      continue;
    }
    if (c.form === 'v1') bad.push(`legacy ##[${c.name}] command: ${line}`);
    else if (!INTENDED.has(c.name)) bad.push(`::${c.name}:: is not a command shipkit issues: ${line}`);
    else if (Object.values(c.props).includes(MARK) || c.data === MARK || c.data.startsWith(`${MARK} `))
      bad.push(`::${c.name}:: carries the hostile value's own command: ${line}`);
  }
  return bad;
}

/** Inputs that let each step get past its first checks without Docker, a network or a real API. */
function baseline(ws: string): Record<string, Record<string, string>> {
  const closed = 'http://127.0.0.1:9/';
  return {
    lint: { dockerfile: join(ws, 'Dockerfile') },
    meta: { images: 'ghcr.io/o/app', tags: 'type=raw,value=1', labels: 'a=1' },
    'build-push': { context: ws, push: 'false', retries: '1' },
    stack: { command: 'up', 'compose-file': join(ws, 'compose.yml'), timeout: '2s' },
    runner: {
      'github-api-url': closed,
      'github-token': 'ghp_x',
      repository: 'o/r',
      'runner-image': 'runner:1',
    },
    smoke: {
      url: closed,
      'ready-timeout': '200ms',
      requests: '2',
      concurrency: '1',
      'report-dir': join(ws, 'report'),
    },
    'blue-green': { command: 'deploy', image: 'app:1', 'state-dir': join(ws, 'state'), 'lock-timeout': '1s' },
    notify: { 'webhook-url': closed, 'slack-api-url': closed, retries: '1', timeout: '1s', event: 'started' },
  };
}

const inputsOf = (step: string) =>
  Object.keys(
    (parse(readFileSync(join(root, 'actions', step, 'action.yml'), 'utf8')) as { inputs?: object }).inputs ??
      {},
  );

describe('no input of any step can issue a GitHub workflow command (contract of GitHub runner parsing)', () => {
  const cwd = process.cwd();
  const path = process.env.PATH;
  const runnerTemp = process.env.RUNNER_TEMP;
  let ws = '';
  beforeAll(() => {
    ws = mkdtempSync(join(tmpdir(), 'shipkit-hostile-'));
    // As on a runner: files a step keeps for later steps (meta's bake files) go to RUNNER_TEMP, removed after.
    process.env.RUNNER_TEMP = ws;
    writeFileSync(join(ws, 'Dockerfile'), 'FROM debian:bookworm\nRUN apt-get install curl\n');
    writeFileSync(join(ws, 'compose.yml'), 'services:\n  app:\n    image: app:1\n');
    // A PATH with git, ShellCheck and node but no docker: steps that need the engine fail at once
    // with "docker: command not found" (the real path of a runner without Docker) — no container
    // is ever started with a hostile value, and unit tests stay off the shared engine.
    const bin = join(ws, 'bin');
    mkdirSync(bin);
    for (const tool of ['git', 'shellcheck', 'node'])
      for (const dir of (path ?? '').split(':'))
        try {
          symlinkSync(join(dir, tool), join(bin, tool));
          break;
        } catch {
          /* not in this directory */
        }
    process.env.PATH = bin;
    process.chdir(ws);
  });
  afterAll(() => {
    process.chdir(cwd);
    process.env.PATH = path;
    if (runnerTemp === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = runnerTemp;
    rmSync(ws, { recursive: true, force: true });
  });

  it('lint: a committed Dockerfile whose name is a command (report formats and annotations)', async () => {
    const dir = mkdtempSync(join(ws, 'lint-name-'));
    const name = `::warning title=${MARK}::a.Dockerfile`;
    writeFileSync(join(dir, name), 'FROM debian\nRUN cd /tmp && apt-get install curl\n');
    const step = await STEPS.lint();
    process.chdir(dir);
    try {
      // Found by discovery, and named on the command line: either way the path is relative.
      for (const inputs of [
        { format: 'tty' },
        { dockerfile: name, format: 'tty' },
        { format: 'gnu' },
        { format: 'json' },
      ]) {
        let out = '';
        const env = { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'out') };
        const platform = new GitHubPlatform(env, (t) => (out += t));
        await execute(step, inputsFrom(inputs), platform);
        expect(out, JSON.stringify(inputs)).toContain(MARK);
        expect(injectedCommands(out), JSON.stringify(inputs)).toEqual([]);
      }
    } finally {
      process.chdir(ws);
    }
  });

  for (const name of Object.keys(STEPS)) {
    it(`${name}: every input, one at a time`, { timeout: 120_000 }, async () => {
      const step = await STEPS[name]();
      // The baseline itself is good input, so each hostile value is what the step trips over.
      let baseOut = '';
      const base = new GitHubPlatform({}, (t) => (baseOut += t));
      expect(await execute(step, inputsFrom(baseline(ws)[name]), base), baseOut).not.toBe(2);
      const seen: string[] = [];
      const inSummary: string[] = [];
      const problems: string[] = [];
      for (const input of inputsOf(name)) {
        const dir = mkdtempSync(join(ws, `${name}-`));
        const files = { GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STATE: join(dir, 'state'), GITHUB_STEP_SUMMARY: join(dir, 'summary.md') }; // prettier-ignore
        let out = '';
        const platform = new GitHubPlatform({ ...files, RUNNER_DEBUG: '1' }, (t) => (out += t));
        const values = { ...baseline(ws)[name], [input]: hostile(dir) };
        await execute(step, inputsFrom(values), platform);
        for (const p of injectedCommands(out)) problems.push(`input "${input}": ${p}`);
        let summary = '';
        try {
          summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
        } catch {
          /* no summary written */
        }
        if (/<img|\n\s*::|\n# h/.test(summary))
          problems.push(`input "${input}": raw HTML/Markdown in the job summary`);
        if (out.includes(MARK)) seen.push(input);
        if (summary.includes(MARK)) inSummary.push(input);
      }
      expect(problems).toEqual([]);
      // The check is not vacuous: hostile text did reach this step's log.
      expect(seen.length).toBeGreaterThan(0);
      // smoke's summary names the target and its URL: the hostile name reached it, escaped.
      if (name === 'smoke') expect(inSummary).toContain('name');
    });
  }
});
