import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { hostFacts, missingDocker } from '../helpers/host.js';
import { startGitLabContract, type GitLabContract } from '../runner/gitlab-contract.js';
import { buildStandin, dockerOut, STANDIN_IMAGE } from '../runner/standin.js';
import { cli, gcl, root } from './local.js';

const skip = missingDocker();
const TOKEN = 'glpat-ephemeralE2eSecret0123456789';
// A tag prefix of this test only, so gc and clean-up never touch another test's runners.
const PREFIX = 'skglr';

/** Runner containers of this test (by name prefix), running or not. */
const ours = () =>
  dockerOut([
    'ps',
    '-aq',
    '--filter',
    'label=dev.shipkit.kind=runner',
    '--filter',
    `name=^shipkit-${PREFIX}-`,
  ])
    .split('\n')
    .filter(Boolean);

function run(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(gcl, args, { cwd, env: { ...process.env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/**
 * The ephemeral-runner component as a user includes it, run by gitlab-ci-local: its jobs on the
 * shell executor of this Docker host (as on a runner that mounts the host's socket) with this
 * checkout's CLI, the GitLab API a local contract server, and the runner image a stand-in
 * (test/runner/standin: NOT gitlab-runner, which cannot be pulled here; it reads the same command
 * and variables and idles). A probe job in the test stage, tagged like the test job, sees the runner.
 */
describe.skipIf(skip)(
  `contract test: ephemeral-runner component in gitlab-ci-local with a stand-in runner image${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let gl: GitLabContract;
    const dir = mkdtempSync(join(tmpdir(), 'skglr-'));

    beforeAll(async () => {
      buildStandin(hostFacts()?.baseImage);
      gl = await startGitLabContract();
      cpSync(join(root, 'templates'), join(dir, 'templates'), { recursive: true });
      cpSync(join(root, 'pipelines', 'gitlab'), join(dir, 'pipelines', 'gitlab'), { recursive: true });
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('remote', 'add', 'origin', 'https://gitlab.example.com/acme/shop.git');
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
      git('update-ref', 'refs/remotes/origin/main', 'HEAD');
      git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    }, 300_000);
    afterAll(async () => {
      const left = ours();
      if (left.length) execFileSync('docker', ['rm', '-f', '-v', ...left], { stdio: 'ignore' });
      await gl.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A pipeline: the component with the test's inputs, plus a probe job on the ephemeral runner's tag. */
    function pipeline(ttl: string): void {
      const label = `${PREFIX}-$CI_PIPELINE_ID`;
      const doc = {
        stages: ['test'],
        include: [
          {
            local: 'templates/ephemeral-runner/template.yml',
            inputs: {
              cli: `node ${cli}`,
              'gitlab-url': gl.url,
              'runner-image': STANDIN_IMAGE,
              label,
              ttl,
              'job-docker-host': 'socket',
            },
          },
        ],
        probe: {
          stage: 'test',
          tags: [label],
          script: [
            // The runner made for this pipeline is up on the host, with the tag this job asks for.
            `docker ps --filter label=dev.shipkit.runner.label=${PREFIX}-$CI_PIPELINE_ID --format '{{.Names}} {{.State}}' | tee probe.txt`,
            'grep -q running probe.txt',
            'echo "runner id from the dotenv report: $SHIPKIT_RUNNER_RUNNER_ID"',
          ],
        },
      };
      writeFileSync(join(dir, '.gitlab-ci.yml'), stringify(doc));
    }
    const common = [
      '--force-shell-executor',
      '--shell-isolation',
      '--no-artifacts-to-source',
      '--variable',
      'GITLAB_CI=true',
      '--variable',
      `SHIPKIT_RUNNER_TOKEN=${TOKEN}`,
      '--ignore-schema-paths',
      '#/definitions/tags/minItems',
    ];

    it('contract test: the component spec and the test job agree on the tag (gitlab-ci-local --preview)', async () => {
      pipeline('1h');
      const r = await run(dir, ['--preview', ...common]);
      expect(r.code, r.out.slice(-2000)).toBe(0);
      const merged = parse(r.out.slice(r.out.indexOf('---') >= 0 ? r.out.indexOf('---') : 0)) as Record<
        string,
        { script?: string[]; stage?: string; when?: string; needs?: unknown[]; tags?: string[] }
      >;
      const up = merged['shipkit-ephemeral-runner'];
      expect(up.stage).toBe('.pre');
      expect(up.script?.[0]).toContain(`--label "${PREFIX}-$CI_PIPELINE_ID"`);
      expect(merged.probe.tags).toEqual([`${PREFIX}-$CI_PIPELINE_ID`]);
      expect(merged['shipkit-ephemeral-runner-down']).toMatchObject({ stage: '.post', when: 'always' });
      // The token is a variable reference, never written into the pipeline.
      expect(r.out).not.toContain(TOKEN);
    }, 120_000);

    it('contract test: a pipeline creates a tagged-only runner, the probe job finds it running, .post removes container and API runner', async () => {
      pipeline('1h');
      const r = await run(dir, common);
      expect(r.code, r.out.slice(-4000)).toBe(0);
      for (const job of [
        'shipkit-ephemeral-runner-gc',
        'shipkit-ephemeral-runner',
        'probe',
        'shipkit-ephemeral-runner-down',
      ])
        expect(r.out, job).toMatch(new RegExp(`PASS\\s+${job}\\b`));
      // Clean-up waits for the test stage: the probe found the runner before .post started.
      expect(r.out.indexOf('shipkit-ephemeral-runner-down starting')).toBeGreaterThan(
        r.out.search(/probe +finished/),
      );
      expect(r.out).toMatch(/probe +> shipkit-skglr-\d+-c\d+ running/);
      // Later stages get the runner id from the up job's dotenv report; down deleted that runner.
      const id = /registered runner (\d+)/.exec(r.out)?.[1];
      expect(r.out).toMatch(new RegExp(`probe +> runner id from the dotenv report: ${id}$`, 'm'));
      expect(r.out).toContain(`deleted gitlab runner ${id}`);
      const created = gl.seen.filter((s) => s.method === 'POST');
      expect(created).toHaveLength(1);
      const body = JSON.parse(created[0].body) as Record<string, unknown>;
      expect(body).toMatchObject({ runner_type: 'project_type', run_untagged: false, locked: true });
      expect(body.tag_list).toEqual([expect.stringMatching(new RegExp(`^${PREFIX}-\\d+$`))]);
      expect(r.out).toContain(`${String((body.tag_list as string[])[0])}-c`);
      // Everything went: no runner in the API, no container on the host.
      expect([...gl.runners.values()]).toEqual([]);
      expect(ours()).toEqual([]);
      expect(gl.seen.filter((s) => s.method === 'DELETE')).toHaveLength(1);
      expect(gl.violations).toEqual([]);
      expect(r.out).not.toContain(TOKEN);
      expect(r.out).not.toMatch(/glrt-[a-z0-9]{8,}/);
    }, 300_000);

    it('contract test: a cancelled pipeline (up only, no .post) is swept by the next pipeline’s gc once the TTL ran out', async () => {
      pipeline('2s');
      const first = await run(dir, [...common, 'shipkit-ephemeral-runner']);
      expect(first.code, first.out.slice(-4000)).toBe(0);
      expect(ours()).toHaveLength(1);
      expect(gl.runners.size).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const next = await run(dir, [...common, 'shipkit-ephemeral-runner-gc']);
      expect(next.code, next.out.slice(-4000)).toBe(0);
      expect(next.out).toMatch(/TTL 2s ran out/);
      expect(ours()).toEqual([]);
      expect(gl.runners.size).toBe(0);
      expect(gl.violations).toEqual([]);
      expect(first.out + next.out).not.toContain(TOKEN);
    }, 300_000);

    it('contract test: the plain template .shipkit-ephemeral-runner* jobs run the same lifecycle', async () => {
      const tag = `${PREFIX}-$CI_PIPELINE_ID`;
      const doc = {
        stages: ['test'],
        include: [{ local: 'pipelines/gitlab/shipkit.gitlab-ci.yml' }],
        variables: {
          SHIPKIT: `node ${cli}`,
          SHIPKIT_GITLAB_URL: gl.url,
          SHIPKIT_RUNNER_IMAGE: STANDIN_IMAGE,
          SHIPKIT_EPHEMERAL_TAG: tag,
        },
        runner: { extends: '.shipkit-ephemeral-runner' },
        'runner-down': { extends: '.shipkit-ephemeral-runner-down' },
        'runner-gc': { extends: '.shipkit-ephemeral-runner-gc' },
        probe: {
          stage: 'test',
          tags: ['$SHIPKIT_EPHEMERAL_TAG'],
          script: [
            `docker ps --filter label=dev.shipkit.runner.label=${tag} --format '{{.Names}} {{.State}}' | tee probe.txt`,
            'grep -q running probe.txt',
          ],
        },
      };
      writeFileSync(join(dir, '.gitlab-ci.yml'), stringify(doc));
      const posted = gl.seen.filter((x) => x.method === 'POST').length;
      const r = await run(dir, common);
      expect(r.code, r.out.slice(-4000)).toBe(0);
      for (const job of ['runner-gc', 'runner', 'probe', 'runner-down'])
        expect(r.out, job).toMatch(new RegExp(`PASS\\s+${job}\\s`));
      expect(r.out.indexOf('runner-down starting')).toBeGreaterThan(r.out.search(/probe +finished/));
      expect(gl.seen.filter((x) => x.method === 'POST')).toHaveLength(posted + 1);
      expect([...gl.runners.values()]).toEqual([]);
      expect(ours()).toEqual([]);
      expect(gl.violations).toEqual([]);
      expect(r.out).not.toContain(TOKEN);
    }, 300_000);
  },
);
