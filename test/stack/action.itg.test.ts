import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingDocker } from '../helpers/host.js';
import { tempDir } from '../helpers/tmp.js';
import { FIXTURES, forceRemove, leftovers, NONE, projectFor, runStack } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const BUNDLE = join(ROOT, 'dist/stack/index.js');
const CLI = join(ROOT, 'dist/cli/index.js');
const skip = missingDocker() ?? (existsSync(BUNDLE) ? undefined : 'dist/ is not built (npm run build)');
const projects: string[] = [];

/** GitHub's `name<<delimiter` file format (GITHUB_OUTPUT / GITHUB_STATE). */
function readGithubFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

function run(file: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

/** Starts `shipkit stack up` on the slow fixture and sends `signal` once its container exists. */
async function upThenSignal(project: string, signal: NodeJS.Signals, owner: string) {
  const child = spawn(
    'node',
    [
      CLI,
      'stack',
      'up',
      '-p',
      project,
      '--owner',
      owner,
      '--working-directory',
      join(FIXTURES, 'slow'),
      '--timeout',
      '90s',
      '--logs-dir',
      join(tmpdir(), project),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out })),
  );
  for (let i = 0; i < 120 && leftovers(project).containers === 0; i++)
    await new Promise((r) => setTimeout(r, 250));
  expect(leftovers(project).containers).toBe(1);
  child.kill(signal);
  return done;
}

describe.skipIf(skip)(`stack: bundled action, signals and gc${skip ? ` (skipped: ${skip})` : ''}`, () => {
  afterAll(() => {
    projects.forEach(forceRemove);
    // upThenSignal's logs folders
    for (const p of projects) rmSync(join(tmpdir(), p), { recursive: true, force: true });
  });

  it('runs as GitHub runs it: main with the pushed image, then the post step removes everything', async () => {
    const dir = tempDir('skstack-gh-');
    const runId = String(Date.now());
    const project = `skstack-${runId}-1-itg`;
    projects.push(project);
    const [output, state] = [join(dir, 'output'), join(dir, 'state')];
    writeFileSync(output, '');
    writeFileSync(state, '');
    const env: Record<string, string> = {
      GITHUB_ACTIONS: 'true',
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'itg',
      GITHUB_REPOSITORY: 'shipkit/itg',
      GITHUB_OUTPUT: output,
      GITHUB_STATE: state,
      INPUT_COMMAND: 'up',
      INPUT_PREFIX: 'skstack',
      'INPUT_WORKING-DIRECTORY': join(FIXTURES, 'small'),
      // build-push's output: the file's image does not exist, so only the override can make it run.
      INPUT_IMAGES: JSON.stringify({
        web: { image: 'shipkit/base:bookworm', tags: [], digest: '', imageid: '', size: 1 },
      }),
      INPUT_TIMEOUT: '60s',
      'INPUT_LOGS-DIR': join(dir, 'logs'),
      'INPUT_LOG-LINES': '50',
      'INPUT_LOGS-MAX-SIZE': '1MB',
      'INPUT_OLDER-THAN': '2h',
      INPUT_BUILD: 'false',
      'INPUT_REMOVE-IMAGES': 'false',
    };
    const main = await run('node', [BUNDLE], env);
    expect(main.code, main.out).toBe(0);
    const outputs = readGithubFile(output);
    expect(outputs.project).toBe(project);
    expect(JSON.parse(outputs.services)).toMatchObject({
      web: { state: 'web: 1 healthy' },
      side: { state: 'side: 1 running' },
    });
    const saved = readGithubFile(state);
    expect(saved).toMatchObject({ isPost: 'true', stackProject: project });
    expect(
      execFileSync(
        'docker',
        [
          'inspect',
          '--format',
          '{{.Config.Image}} {{index .Config.Labels "dev.shipkit.owner"}}',
          `${project}_web_1`,
        ],
        { encoding: 'utf8' },
      ).trim(),
    ).toBe('shipkit/base:bookworm shipkit/itg');
    expect(leftovers(project)).toEqual({ containers: 2, networks: 1, volumes: 1 });
    const volume = execFileSync(
      'docker',
      ['volume', 'inspect', '--format', '{{index .Labels "dev.shipkit.kind"}}', `${project}_data`],
      { encoding: 'utf8' },
    );
    expect(volume.trim()).toBe('stack');

    const stateEnv = Object.fromEntries(Object.entries(saved).map(([k, v]) => [`STATE_${k}`, v]));
    const post = await run('node', [BUNDLE], { ...env, ...stateEnv });
    expect(post.code, post.out).toBe(0);
    expect(post.out).toContain(`Removed stack ${project}`);
    expect(post.out).not.toContain('::warning');
    expect(leftovers(project)).toEqual(NONE);
    expect(existsSync(join(dir, 'logs', `${project}_web_1.log`))).toBe(true);
  });

  it('SIGTERM during a local up tears the stack down and exits 143', async () => {
    const project = projectFor('sigterm');
    projects.push(project);
    const r = await upThenSignal(project, 'SIGTERM', 'skstack-sig');
    expect(r.code, r.out).toBe(143);
    expect(r.out).toContain(`SIGTERM received: tearing down ${project}`);
    expect(leftovers(project)).toEqual(NONE);
  });

  it('gc sweeps what a SIGKILLed up left behind, only for the given owner and prefix', async () => {
    const project = projectFor('killed');
    projects.push(project);
    const owner = `skstack-gc-${process.pid}`;
    await upThenSignal(project, 'SIGKILL', owner);
    // compose may still be creating when its parent dies: let the engine settle.
    await new Promise((r) => setTimeout(r, 3000));
    const left = leftovers(project);
    expect(left.containers + left.networks + left.volumes).toBeGreaterThanOrEqual(2);

    const other = await runStack({ command: 'gc', 'older-than': '0s', owner: 'skstack-nobody' });
    expect(other.code).toBe(0);
    expect(other.platform.outputs.get('removed')).toBe('0');
    expect(leftovers(project)).toEqual(left);

    const young = await runStack({ command: 'gc', 'older-than': '1h', owner });
    expect(young.platform.outputs.get('removed')).toBe('0');

    const gc = await runStack({ command: 'gc', 'older-than': '0s', owner });
    expect(gc.code, gc.text).toBe(0);
    expect(Number(gc.platform.outputs.get('removed'))).toBe(left.containers + left.networks + left.volumes);
    expect(leftovers(project)).toEqual(NONE);
  });
});
