import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingDocker } from '../helpers/host.js';
import { facts, FIXTURES, registryDelete, rmi, RUN_TAG } from './helpers.js';

const run = promisify(execFile);
const skip = missingDocker();
const ROOT = join(import.meta.dirname, '../..');

/** Parses GitHub's `name<<delimiter` / `name=value` file-command format (GITHUB_OUTPUT, GITHUB_STATE). */
function fileCommands(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

describe.skipIf(skip)(`the bundled action run as GitHub runs it${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const f = skip ? undefined! : facts();
  const tag = skip ? '' : `${f.registry}/skbp-itg-action:${RUN_TAG}`;
  const dir = mkdtempSync(join(tmpdir(), 'skbp-gha-'));
  afterAll(async () => {
    rmi(tag);
    await registryDelete('skbp-itg-action', RUN_TAG);
    rmSync(dir, { recursive: true, force: true });
  });

  it('main builds, pushes and writes outputs, state and the job summary; post logs out; the password is masked', async () => {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    };
    for (const p of Object.values(files)) writeFileSync(p, '');
    mkdirSync(join(dir, 'runner-temp'));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_ACTOR: 'octocat',
      RUNNER_TEMP: join(dir, 'runner-temp'),
      ...files,
      INPUT_CONTEXT: join(FIXTURES, 'app'),
      INPUT_TAGS: tag,
      'INPUT_BUILD-ARGS': `BASE_IMAGE=${f.baseImage}`,
      INPUT_USERNAME: f.registryUser,
      INPUT_PASSWORD: f.registryPassword,
      'INPUT_GITHUB-TOKEN': 'ghs_unused_for_this_registry',
      INPUT_PUSH: 'true',
      INPUT_LOGOUT: 'true',
      'INPUT_MAX-PARALLEL': '2',
    };
    const main = await run('node', ['dist/build-push/index.js'], { cwd: ROOT, env });
    expect(main.stdout).toContain(`::add-mask::${f.registryPassword}`);
    const logged = main.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(logged.join('\n')).not.toContain(f.registryPassword);
    expect(main.stdout).toContain('::group::Push');

    const outputs = fileCommands(files.GITHUB_OUTPUT);
    expect(outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(outputs.tags).toBe(tag);
    const images = JSON.parse(outputs.images) as Record<string, { image: string }>;
    expect(images['skbp-itg-action'].image).toBe(`${f.registry}/skbp-itg-action@${outputs.digest}`);
    expect(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')).toContain(
      '| Image | Tags | Digest | Size | Layers | Build time |',
    );

    const state = fileCommands(files.GITHUB_STATE);
    expect(state.isPost).toBe('true');
    expect(state.registry).toBe(f.registry);
    expect(state['docker-config']).toMatch(new RegExp(`^${join(dir, 'runner-temp')}/shipkit-docker-`));
    expect(existsSync(state['docker-config'])).toBe(false); // main logged out and removed its config

    // A main step killed before its cleanup leaves the private config behind: the post step removes it.
    mkdirSync(state['docker-config']);
    writeFileSync(join(state['docker-config'], 'config.json'), '{"auths":{}}');
    const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
    const post = await run('node', ['dist/build-push/index.js'], { cwd: ROOT, env: { ...env, ...stateEnv } });
    expect(post.stdout).toContain(`Logged out of ${f.registry}`);
    expect(existsSync(state['docker-config'])).toBe(false);
  });
});
