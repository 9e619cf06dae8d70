import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { hostFacts, missingCommand, missingDocker } from '../helpers/host.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'index.js');
const gcl = join(root, 'node_modules', '.bin', 'gitlab-ci-local');
const skip = missingDocker() ?? missingCommand('rsync');
const NAME = 'skgl-e2e';
const PORTS = { stack: 15690, live: 15691, preview: 15692 };

/**
 * The pipeline users copy, made runnable offline: each `include: component:` becomes an
 * `include: local:` of the same template with the same inputs, plus how to call this checkout's CLI
 * and the local registry, base image and ports.
 */
function localPipeline(): string {
  const doc = parse(readFileSync(join(root, 'pipelines', 'gitlab', '.gitlab-ci.yml'), 'utf8')) as {
    include: { component: string; inputs?: Record<string, unknown> }[];
  };
  const base = hostFacts()!.baseImage;
  const extra: Record<string, Record<string, unknown>> = {
    deploy: { name: NAME, 'lb-image': base, port: PORTS.live, 'preview-port': PORTS.preview },
    promote: { name: NAME, 'lb-image': base, port: PORTS.live, 'preview-port': PORTS.preview },
    rollback: { name: NAME, 'lb-image': base, port: PORTS.live, 'preview-port': PORTS.preview },
    test: { url: `http://127.0.0.1:${PORTS.stack}/` },
  };
  const include = doc.include.map((inc) => {
    const name = /\/shipkit\/([\w-]+)@/.exec(inc.component)![1];
    return { local: `templates/${name}.yml`, inputs: { ...inc.inputs, ...extra[name], cli: `node ${cli}` } };
  });
  // gitlab-ci-local pins CI_REGISTRY to a name of its own; the images go to the local registry, whose
  // credentials the jobs find in DOCKER_CONFIG (as a runner with a logged-in docker would have them).
  const registryImage = `${hostFacts()!.registry}/skgl/lb-stack`;
  const variables = Object.fromEntries(
    Object.entries((doc as { variables?: Record<string, string> }).variables ?? {}).map(([k, v]) => [
      k,
      v.replace('$CI_REGISTRY_IMAGE', registryImage),
    ]),
  );
  return stringify({ ...doc, variables, include });
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

function run(
  cwd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(gcl, args, { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe.skipIf(skip)(
  `GitLab pipeline end to end with gitlab-ci-local${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'skgl-e2e-'));
    afterAll(() => {
      execFileSync(
        process.execPath,
        [
          cli,
          'bluegreen',
          'destroy',
          '--name',
          NAME,
          '--port',
          String(PORTS.live),
          '--preview-port',
          String(PORTS.preview),
        ],
        {
          stdio: 'ignore',
        },
      );
      rmSync(dir, { recursive: true, force: true });
    });

    it('runs lint → build → test → deploy, then the manual promote and rollback jobs, on the example stack', async () => {
      const facts = hostFacts()!;
      cpSync(join(root, 'examples', 'lb-stack'), dir, {
        recursive: true,
        filter: (src) => !src.includes('.github'),
      });
      cpSync(join(root, 'templates'), join(dir, 'templates'), { recursive: true });
      writeFileSync(join(dir, '.gitlab-ci.yml'), localPipeline());
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'remote', 'add', 'origin', 'https://gitlab.example.com/acme/lb-stack.git');
      git(dir, 'add', '-A');
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
      git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
      git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');

      const variables = {
        // gitlab-ci-local says GITLAB_CI=false on purpose; shipkit should act as it does on GitLab.
        GITLAB_CI: 'true',
        NODE_IMAGE: facts.baseImage,
        NGINX_IMAGE: facts.baseImage,
        HAPROXY_IMAGE: facts.baseImage,
        LB_PORT: String(PORTS.stack),
      };
      const base = ['--force-shell-executor', '--shell-isolation', '--no-artifacts-to-source'];
      for (const [k, v] of Object.entries(variables)) base.push('--variable', `${k}=${v}`);
      const dockerConfig = mkdtempSync(join(tmpdir(), 'skgl-docker-'));
      execFileSync(
        'docker',
        ['--config', dockerConfig, 'login', '-u', facts.registryUser, '--password-stdin', facts.registry],
        { input: facts.registryPassword, stdio: ['pipe', 'ignore', 'ignore'] },
      );
      const passed = (out: string, jobs: string[]) => {
        for (const job of jobs) expect(out, `${job} passed`).toMatch(new RegExp(`PASS\\s+${job}\\b`));
      };
      const always = ['shipkit-lint', 'shipkit-build', 'shipkit-test', 'shipkit-deploy', 'shipkit-promote'];

      // First release: deploy to blue, a person promotes it. Nothing to roll back to yet.
      const first = await run(dir, [...base, '--manual', 'shipkit-promote'], { DOCKER_CONFIG: dockerConfig });
      passed(first.out, always);
      expect(first.code, first.out.slice(-4000)).toBe(0);

      // Second release (a new commit): deploy to green, promote, then roll back to blue.
      writeFileSync(join(dir, 'app', 'RELEASE'), '2\n');
      git(dir, 'add', '-A');
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'release 2');
      const second = await run(
        dir,
        [...base, '--manual', 'shipkit-promote', '--manual', 'shipkit-rollback'],
        {
          DOCKER_CONFIG: dockerConfig,
        },
      );
      passed(second.out, [...always, 'shipkit-rollback']);
      expect(second.code, second.out.slice(-4000)).toBe(0);
      const out = first.out + second.out;
      expect(out).not.toContain(facts.registryPassword);
    }, 900_000);
  },
);
