import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/core/run.js';
import { inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/runner/step.js';
import { hostFacts, missingDocker } from '../helpers/host.js';
import { startGitHubContract, type GitHubContract } from './github-contract.js';
import { startGitLabContract, type GitLabContract } from './gitlab-contract.js';
import { buildStandin, dockerOut, PREFIX, removeOurRunnerContainers, STANDIN_IMAGE } from './standin.js';

const GH_TOKEN = 'ghp_itgSecretToken0123456789ABCDEFGHIJ';
const GL_TOKEN = 'glpat-itgSecretToken0123456789';
const skip = missingDocker();

interface Inspected {
  Args: string[];
  Config: { Env: string[]; Cmd: string[]; Labels: Record<string, string> };
}
/** This test's runner containers, running or not. */
const ourContainers = () => dockerOut(['ps', '-aq', '--filter', `name=^${PREFIX}-`]).trim();

/**
 * Runs `up` with `values`, which must fail (exit 1) and leave behind neither a runner in the
 * contract server's `runners` nor a container; gives back the platform it logged to.
 */
async function failedUp(values: Record<string, string>, runners: { size: number }): Promise<MemoryPlatform> {
  const platform = new MemoryPlatform(true);
  const before = runners.size;
  const containersBefore = ourContainers();
  expect(await execute(step, inputsFrom({ command: 'up', ...values }), platform)).toBe(1);
  expect(runners.size).toBe(before);
  expect(ourContainers()).toBe(containersBefore);
  return platform;
}

const inspect = (name: string) => (JSON.parse(dockerOut(['inspect', name])) as Inspected[])[0];
const exists = (name: string) => dockerOut(['ps', '-aq', '--filter', `name=^${name}$`]).trim() !== '';

/** Waits until the stand-in printed its start line (it reads its config before idling). */
async function logsOf(name: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const out = dockerOut(['logs', name]);
    if (out.trim()) return out;
    await new Promise((r) => setTimeout(r, 100));
  }
  return '';
}

describe.skipIf(skip)(
  `contract test: runner container lifecycle with a stand-in image${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let gh: GitHubContract;
    let gl: GitLabContract;
    const gitHub = () => ({
      provider: 'github',
      'github-token': GH_TOKEN,
      'github-api-url': gh.url,
      repository: 'acme/shop',
      'runner-image': STANDIN_IMAGE,
      'name-prefix': PREFIX,
    });
    const gitLab = () => ({
      provider: 'gitlab',
      'gitlab-token': GL_TOKEN,
      'gitlab-url': gl.url,
      'project-id': '42',
      'runner-image': STANDIN_IMAGE,
      'name-prefix': PREFIX,
    });

    beforeAll(async () => {
      buildStandin(hostFacts()?.baseImage);
      gh = await startGitHubContract();
      gl = await startGitLabContract();
    });
    afterAll(async () => {
      removeOurRunnerContainers();
      await gh?.close();
      await gl?.close();
    });

    it('contract test: GitHub up starts the runner with TTL labels and the JIT config in env only; post takes it down', async () => {
      const platform = new MemoryPlatform(true);
      const inputs = inputsFrom({ command: 'up', ...gitHub(), ttl: '10m', labels: 'gpu' });
      expect(await execute(step, inputs, platform)).toBe(0);
      const name = platform.outputs.get('container') ?? '';
      const id = Number(platform.outputs.get('runner-id'));
      expect(platform.outputs.get('label')).toMatch(/^skrun-[a-z0-9-]+-1-[0-9a-f]{6}$/);
      expect(name).toBe(platform.outputs.get('runner-name'));
      expect(gh.runners.get(id)?.labels.map((l) => l.name)).toEqual([platform.outputs.get('label'), 'gpu']);

      const c = inspect(name);
      expect(c.Config.Labels).toMatchObject({
        'dev.shipkit.kind': 'runner',
        'dev.shipkit.ttl': '600',
        'dev.shipkit.runner.id': String(id),
        'dev.shipkit.runner.provider': 'github',
      });
      expect(Number(c.Config.Labels['dev.shipkit.created'])).toBeGreaterThan(Date.now() / 1000 - 60);
      expect(c.Config.Labels['dev.shipkit.owner']).toBeTruthy();
      const jit =
        c.Config.Env.find((e) => e.startsWith('ACTIONS_RUNNER_INPUT_JITCONFIG='))?.replace(/^[^=]*=/, '') ??
        '';
      expect(jit.length).toBeGreaterThan(20);
      expect([...c.Args, ...c.Config.Cmd].join(' ')).not.toContain(jit);
      expect(await logsOf(name)).toContain(
        `jitconfig from ACTIONS_RUNNER_INPUT_JITCONFIG (${jit.length} chars) for runner ${name}`,
      );

      // The post step (same job): removes the container and deletes the runner through the API.
      expect(await execute(step, inputs, platform, 'post')).toBe(0);
      expect(exists(name)).toBe(false);
      expect(gh.runners.has(id)).toBe(false);
      // Counted once, though the state names it by name and by id.
      expect(platform.outputs.get('removed-containers')).toBe('1');
      expect(platform.outputs.get('removed-runners')).toBe('1');
      const text = platform.text() + JSON.stringify([...platform.outputs]);
      expect(text).not.toContain(GH_TOKEN);
      expect(text).not.toContain(jit);
      expect(gh.violations).toEqual([]);
    });

    it('contract test: GitLab up runs one single-job gitlab-runner; down by label (another job) removes both', async () => {
      const upPlatform = new MemoryPlatform(true);
      expect(await execute(step, inputsFrom({ command: 'up', ...gitLab(), ttl: '15m' }), upPlatform)).toBe(0);
      const name = upPlatform.outputs.get('container') ?? '';
      const id = Number(upPlatform.outputs.get('runner-id'));
      const runner = gl.runners.get(id);
      expect(runner?.tag_list).toEqual([upPlatform.outputs.get('label')]);
      expect(runner?.run_untagged).toBe(false);
      expect(runner?.description).toBe(name);
      const c = inspect(name);
      expect(c.Config.Cmd).toEqual(['run-single', '--max-builds', '1', '--wait-timeout', '900']);
      expect(c.Config.Env).toContain(`CI_SERVER_TOKEN=${runner?.token}`);
      expect(c.Config.Env).toContain(`CI_SERVER_URL=${gl.url}`);
      expect(await logsOf(name)).toContain(`token from CI_SERVER_TOKEN (${runner?.token.length} chars)`);

      const downPlatform = new MemoryPlatform(true);
      const label = upPlatform.outputs.get('label') ?? '';
      expect(await execute(step, inputsFrom({ command: 'down', ...gitLab(), label }), downPlatform)).toBe(0);
      expect(downPlatform.outputs.get('removed-containers')).toBe('1');
      expect(downPlatform.outputs.get('removed-runners')).toBe('1');
      expect(exists(name)).toBe(false);
      expect(gl.runners.has(id)).toBe(false);
      const text = upPlatform.text() + downPlatform.text();
      expect(text).not.toContain(GL_TOKEN);
      expect(text).not.toContain(runner?.token);
      expect(gl.violations).toEqual([]);
    });

    it('contract test: GitLab job-container flags and hostile env values reach the runner as written; a command run-single would refuse is cleaned up', async () => {
      const upPlatform = new MemoryPlatform(true);
      const inputs = {
        command: 'up',
        ...gitLab(),
        env: 'SHIPKIT_PROBE=$HOME ${X} ::warning::x',
        'gitlab-job-volumes': '/var/run/docker.sock:/var/run/docker.sock',
        'gitlab-job-extra-hosts': 'host.docker.internal:host-gateway',
        'gitlab-job-privileged': 'true',
      };
      expect(await execute(step, inputsFrom(inputs), upPlatform)).toBe(0);
      const name = upPlatform.outputs.get('container') ?? '';
      const c = inspect(name);
      expect(c.Config.Cmd.slice(5)).toEqual([
        '--docker-volumes',
        '/var/run/docker.sock:/var/run/docker.sock',
        '--docker-extra-hosts',
        'host.docker.internal:host-gateway',
        '--docker-privileged',
      ]);
      expect(c.Config.Env).toContain('SHIPKIT_PROBE=$HOME ${X} ::warning::x');
      // The stand-in accepted the command as run-single would, and is waiting for its job.
      expect(await logsOf(name)).toContain('gitlab-runner stand-in: token from CI_SERVER_TOKEN');
      const label = upPlatform.outputs.get('label') ?? '';
      expect(
        await execute(step, inputsFrom({ command: 'down', ...gitLab(), label }), new MemoryPlatform(true)),
      ).toBe(0);
      expect(exists(name)).toBe(false);

      // An executor run-single does not get ("Missing Executor"): up fails and leaves nothing behind.
      const bad = await failedUp({ ...gitLab(), env: 'RUNNER_EXECUTOR=' }, gl.runners);
      expect(bad.text()).toContain('Missing Executor');
      expect(upPlatform.text() + bad.text()).not.toContain(GL_TOKEN);
      expect(gl.violations).toEqual([]);
    });

    it('contract test: a container that cannot start leaves no API runner and no container behind', async () => {
      const platform = await failedUp(
        { ...gitHub(), 'runner-image': 'skrun-no-such-image:none' },
        gh.runners,
      );
      expect(platform.text()).toMatch(/docker run .* exited/);
      expect(platform.text()).not.toContain(GH_TOKEN);
    });

    it('contract test: up with wait returns when the runner has taken its job and exited', async () => {
      const platform = new MemoryPlatform(true);
      const label = `${PREFIX}-wait-${Date.now().toString(36)}`;
      const inputs = inputsFrom({ command: 'up', ...gitHub(), label, wait: 'true' });
      const running = execute(step, inputs, platform);
      // Wait until up has passed its start check and is waiting for the job.
      for (let i = 0; i < 300 && !platform.text().includes('Wait for the runner'); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const filter = `label=dev.shipkit.runner.label=${label}`;
      const name = dockerOut(['ps', '--format', '{{.Names}}', '--filter', filter]).trim();
      dockerOut(['exec', name, 'touch', '/tmp/stop']); // the stand-in's "job done"
      expect(await running).toBe(0);
      expect(platform.text()).toContain('runner container exited');
      expect(await execute(step, inputs, platform, 'post')).toBe(0);
      expect(exists(name)).toBe(false);
    });

    it('contract test: a runner that exits right after start fails up with its logs, and is removed with its API runner', async () => {
      const platform = new MemoryPlatform(true);
      const before = gh.runners.size;
      const code = await execute(
        step,
        inputsFrom({
          command: 'up',
          ...gitHub(),
          'runner-command': 'sh\n-c\necho "runner: cannot connect" >&2; exit 3',
        }),
        platform,
      );
      expect(code).toBe(1);
      expect(platform.text()).toContain('exited right after start (code 3)');
      expect(platform.text()).toContain('runner: cannot connect');
      expect(gh.runners.size).toBe(before);
      expect(
        dockerOut(['ps', '-aq', '--filter', `name=^${PREFIX}-`, '--filter', 'status=exited']).trim(),
      ).toBe('');
    });

    it('contract test: gc removes expired containers and stale offline API runners, keeps fresh and online ones', async () => {
      const now = Math.floor(Date.now() / 1000);
      const upShort = new MemoryPlatform();
      expect(await execute(step, inputsFrom({ command: 'up', ...gitHub(), ttl: '1s' }), upShort)).toBe(0);
      const upLong = new MemoryPlatform();
      expect(await execute(step, inputsFrom({ command: 'up', ...gitHub(), ttl: '1h' }), upLong)).toBe(0);
      const add = (name: string, status: 'online' | 'offline') => {
        const id = 5000 + gh.runners.size;
        gh.runners.set(id, {
          id,
          name,
          os: 'linux',
          status,
          busy: false,
          ephemeral: true,
          runner_group_id: 1,
          labels: [],
          scope: 'repos/acme/shop',
        });
        return id;
      };
      const stale = add(`${PREFIX}-old-1-aaaaaa-c${now - 3 * 3600}`, 'offline');
      const busy = add(`${PREFIX}-busy-1-bbbbbb-c${now - 3 * 3600}`, 'online');
      const fresh = add(`${PREFIX}-new-1-cccccc-c${now}`, 'offline');
      const foreign = add(`someone-else-c${now - 3 * 3600}`, 'offline');
      await new Promise((r) => setTimeout(r, 1200));

      const platform = new MemoryPlatform(true);
      expect(await execute(step, inputsFrom({ command: 'gc', ...gitHub(), ttl: '2h' }), platform)).toBe(0);
      expect(platform.outputs.get('removed-containers')).toBe('1');
      expect(platform.outputs.get('removed-runners')).toBe('2');
      expect(exists(upShort.outputs.get('container') ?? '')).toBe(false);
      expect(gh.runners.has(Number(upShort.outputs.get('runner-id')))).toBe(false);
      expect(exists(upLong.outputs.get('container') ?? '')).toBe(true);
      expect(gh.runners.has(Number(upLong.outputs.get('runner-id')))).toBe(true);
      expect(gh.runners.has(stale)).toBe(false);
      for (const kept of [busy, fresh, foreign]) expect(gh.runners.has(kept)).toBe(true);

      // Host-side gc without any token: still removes expired containers of ours.
      const hostGc = new MemoryPlatform();
      const upAgain = new MemoryPlatform();
      expect(await execute(step, inputsFrom({ command: 'up', ...gitHub(), ttl: '1s' }), upAgain)).toBe(0);
      await new Promise((r) => setTimeout(r, 1200));
      expect(
        await execute(step, inputsFrom({ command: 'gc', 'name-prefix': PREFIX, provider: 'github' }), hostGc),
      ).toBe(0);
      expect(hostGc.outputs.get('removed-containers')).toBe('1');
      expect(exists(upAgain.outputs.get('container') ?? '')).toBe(false);
      expect(gh.violations).toEqual([]);
    });

    it('contract test: GitLab gc deletes stale and never-contacted runners of ours, keeps online and fresh ones', async () => {
      const now = Math.floor(Date.now() / 1000);
      const add = (description: string, status: 'online' | 'offline' | 'stale' | 'never_contacted') => {
        const id = 9000 + gl.runners.size;
        gl.runners.set(id, {
          id,
          description,
          runner_type: 'project_type',
          owner: 'projects/42',
          tag_list: [],
          run_untagged: false,
          locked: true,
          status,
          token: `glrt-${id}`,
        });
        return id;
      };
      const old = now - 3 * 3600;
      const stale = add(`${PREFIX}-a-1-aaaaaa-c${old}`, 'stale');
      const never = add(`${PREFIX}-b-1-bbbbbb-c${old}`, 'never_contacted');
      const online = add(`${PREFIX}-c-1-cccccc-c${old}`, 'online');
      const fresh = add(`${PREFIX}-d-1-dddddd-c${now}`, 'never_contacted');
      const foreign = add(`team-runner-c${old}`, 'offline');
      const platform = new MemoryPlatform(true);
      expect(await execute(step, inputsFrom({ command: 'gc', ...gitLab(), ttl: '2h' }), platform)).toBe(0);
      expect(platform.outputs.get('removed-runners')).toBe('2');
      expect(gl.runners.has(stale) || gl.runners.has(never)).toBe(false);
      for (const kept of [online, fresh, foreign]) expect(gl.runners.has(kept)).toBe(true);
      expect(platform.text()).not.toContain(GL_TOKEN);
      expect(gl.violations).toEqual([]);
    });
  },
);
