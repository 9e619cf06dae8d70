import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { hostFacts, missingDocker, removeDefaultState } from '../helpers/host.js';
import { runCallerJob } from '../helpers/workflow-path.js';
import { cli, destroyApp, gcl, root } from './local.js';

/**
 * Issue 12 item 8: each pipeline's blue-green jobs with `lb: haproxy` and nothing else said about the
 * LB, through the path users take — the GitHub caller workflows → reusable workflows → blue-green
 * action (with GitHub's input rules), the GitLab components included with `lb: haproxy`, and the
 * plain GitLab template with SHIPKIT_LB=haproxy. The LB must start in the image that matches HAProxy
 * (the step's default, haproxy:lts-alpine), never the nginx image the pipelines used to pass.
 * No image can be pulled here, so haproxy:lts-alpine is the local base image (Debian with HAProxy)
 * under that name for the duration of the test, unless it already exists.
 */
const skip = missingDocker();
const LB_IMAGE = 'haproxy:lts-alpine';
const APP = 'skpl-hap-app';
const APPS = {
  github: { name: 'skpl-gh-hap', port: 15781 },
  components: { name: 'skpl-gl-hap', port: 15783 },
  plain: { name: 'skpl-pl-hap', port: 15785 },
};

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
/** The image the app's load balancer container runs. */
const lbImageOf = (name: string) =>
  docker('ps', '--filter', `label=com.docker.compose.project=${name}-lb`, '--format', '{{.Image}}');
const destroy = (name: string, port: number) => destroyApp(name, port, port + 1, ['--lb', 'haproxy']);

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    stdio: 'ignore',
  });
}

/** A Git project on its default branch (the blue-green jobs run only there), with `pipeline` as CI file. */
function project(pipeline: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'skpl-hap-'));
  cpSync(join(root, 'templates'), join(dir, 'templates'), { recursive: true });
  mkdirSync(join(dir, 'pipelines', 'gitlab'), { recursive: true });
  cpSync(join(root, 'pipelines', 'gitlab'), join(dir, 'pipelines', 'gitlab'), { recursive: true });
  writeFileSync(join(dir, '.gitlab-ci.yml'), stringify(pipeline));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', 'https://gitlab.example.com/acme/app.git');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  return dir;
}

function gitlabJob(dir: string, job: string, variables: Record<string, string>) {
  // The deploy host's state and engine are the runner host's own: these jobs run as a shell (or
  // socket-mounting) runner on that host would run them.
  const args = ['--force-shell-executor', '--shell-isolation', '--no-artifacts-to-source', job];
  for (const [k, v] of Object.entries({ GITLAB_CI: 'true', ...variables }))
    args.push('--variable', `${k}=${v}`);
  return new Promise<{ code: number; out: string }>((resolve) => {
    const child = spawn(gcl, args, { cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe.skipIf(skip)(
  `pipelines with lb: haproxy start HAProxy in its own image${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let taggedLb = false;
    const dirs: string[] = [];
    beforeAll(() => {
      const base = hostFacts()!.baseImage;
      try {
        docker('image', 'inspect', LB_IMAGE);
      } catch {
        docker('tag', base, LB_IMAGE);
        taggedLb = true;
      }
      execFileSync(
        'docker',
        [
          'build',
          '-q',
          '--build-arg',
          `NODE_IMAGE=${base}`,
          '-t',
          `${APP}:1`,
          join(root, 'examples/lb-stack/app'),
        ],
        {
          stdio: 'ignore',
        },
      );
      docker('tag', `${APP}:1`, `${APP}:2`);
    });
    afterAll(() => {
      for (const a of Object.values(APPS)) destroy(a.name, a.port);
      // The pipelines keep the state in the default state dir, as users' do: the test leaves none behind.
      for (const a of Object.values(APPS)) removeDefaultState(a.name);
      if (taggedLb) docker('rmi', LB_IMAGE);
      docker('rmi', `${APP}:1`, `${APP}:2`);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it('GitHub: shipkit.yml deploy → promote.yml → deploy → promote.yml → rollback.yml', async () => {
      const { name, port } = APPS.github;
      // What a user edits in their copies: the LB (and here, an app name and ports of the test's own).
      const overrides = { name, port: String(port), 'preview-port': String(port + 1) };
      const caller = (file: string) => join(root, 'pipelines', 'github', file);
      const steps: [string, string, Record<string, string>][] = [
        ['shipkit.yml', 'deploy', { image: `${APP}:1` }],
        ['promote.yml', 'promote', {}],
        ['shipkit.yml', 'deploy', { image: `${APP}:2` }],
        ['promote.yml', 'promote', {}],
        ['rollback.yml', 'rollback', {}],
      ];
      for (const [file, job, known] of steps) {
        const runs = await runCallerJob(caller(file), job, {
          dispatch: { lb: 'haproxy' },
          overrides: file === 'shipkit.yml' ? { ...overrides, lb: 'haproxy' } : overrides,
          known: { 'fromJSON(needs.ci.outputs.images).app.image': known.image ?? '' },
        });
        expect(runs, `${file} ran the blue-green action`).toHaveLength(1);
        const [{ inputs, run }] = runs;
        expect(run.code, `${file}: ${run.stdout}${run.stderr}`).toBe(0);
        expect(inputs.lb).toBe('haproxy');
        expect(inputs['lb-image'], `${file} leaves the LB image to the step`).toBe('');
        expect(lbImageOf(name)).toBe(LB_IMAGE);
      }
    }, 600_000);

    it('GitLab components: the pipeline users copy, with lb: haproxy on deploy, promote and rollback', async () => {
      const { name, port } = APPS.components;
      const doc = parse(readFileSync(join(root, 'pipelines', 'gitlab', '.gitlab-ci.yml'), 'utf8')) as {
        include: { component: string; inputs?: Record<string, unknown> }[];
      };
      const include = doc.include
        .map((inc) => ({ ...inc, step: /\/shipkit\/([\w-]+)@/.exec(inc.component)![1] }))
        .filter((inc) => ['deploy', 'promote', 'rollback'].includes(inc.step))
        .map((inc) => ({
          local: `templates/${inc.step}/template.yml`,
          inputs: {
            ...inc.inputs,
            lb: 'haproxy',
            name,
            port,
            'preview-port': String(port + 1),
            cli: `node ${cli}`,
          },
        }));
      const dir = project({ ...doc, include });
      dirs.push(dir);
      for (const [job, image] of [
        ['shipkit-deploy', `${APP}:1`],
        ['shipkit-promote', ''],
        ['shipkit-deploy', `${APP}:2`],
        ['shipkit-promote', ''],
        ['shipkit-rollback', ''],
      ]) {
        const r = await gitlabJob(dir, job, { APP_IMAGE: image });
        expect(r.code, `${job}: ${r.out.slice(-3000)}`).toBe(0);
        expect(r.out).toMatch(new RegExp(`PASS\\s+${job}\\b`));
        expect(r.out).not.toContain('nginx:alpine');
        expect(lbImageOf(name)).toBe(LB_IMAGE);
      }
    }, 600_000);

    it('GitLab plain template: SHIPKIT_LB=haproxy and nothing else', async () => {
      const { name, port } = APPS.plain;
      const dir = project({
        stages: ['deploy', 'promote', 'rollback'],
        include: [{ local: 'pipelines/gitlab/shipkit.gitlab-ci.yml' }],
        variables: {
          SHIPKIT: `node ${cli}`,
          SHIPKIT_LB: 'haproxy',
          SHIPKIT_APP: name,
          SHIPKIT_PORT: String(port),
          SHIPKIT_PREVIEW_PORT: String(port + 1),
        },
        deploy: { extends: '.shipkit-deploy' },
        promote: { extends: '.shipkit-promote' },
      });
      dirs.push(dir);
      for (const job of ['deploy', 'promote']) {
        const r = await gitlabJob(dir, job, { SHIPKIT_DEPLOY_IMAGE: `${APP}:1` });
        expect(r.code, `${job}: ${r.out.slice(-3000)}`).toBe(0);
        expect(lbImageOf(name)).toBe(LB_IMAGE);
      }
    }, 600_000);
  },
);
