import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { hostFacts, missingCommand, missingDocker, removeDefaultState } from '../helpers/host.js';
import { buildRuntimeImage, runtimeImageRef } from '../helpers/runtime-image.js';
import { cli, destroyApp, gcl, root } from './local.js';
import { tempDir } from '../helpers/tmp.js';

const skip = missingDocker() ?? missingCommand('rsync');
const NAME = 'skgl-e2e';
const PORTS = { stack: 15690, live: 15691, preview: 15692 };

/**
 * The pipeline users copy, made runnable offline: each `include: component:` becomes an
 * `include: local:` of the same template with the same inputs, plus the local registry, base image
 * and ports. lint, build and test run as on an ordinary GitLab runner: the docker executor with the
 * runtime image built in this run (the host's engine through its socket, `docker-host: socket`).
 * deploy, promote and rollback run with the shell executor and this checkout's CLI: their state
 * (/var/lib/shipkit) and the LB they switch live on the deploy host itself, which a docker-executor
 * job reaches only through volumes a runner administrator mounts.
 */
function localPipeline(): string {
  const doc = parse(readFileSync(join(root, 'pipelines', 'gitlab', '.gitlab-ci.yml'), 'utf8')) as {
    include: { component: string; inputs?: Record<string, unknown> }[];
  };
  const base = hostFacts()!.baseImage;
  const onHost = {
    cli: `node ${cli}`,
    name: NAME,
    'lb-image': base,
    port: PORTS.live,
    'preview-port': String(PORTS.preview),
  };
  const inImage = { image: runtimeImageRef(), 'docker-host': 'socket' };
  const extra: Record<string, Record<string, unknown>> = {
    lint: { image: runtimeImageRef() },
    build: inImage,
    // The default URL follows the Docker host ($SHIPKIT_DOCKER_HOSTNAME); only the port is the test's.
    test: { ...inImage, url: `http://$SHIPKIT_DOCKER_HOSTNAME:${PORTS.stack}/` },
    deploy: onHost,
    promote: onHost,
    rollback: onHost,
  };
  const include = doc.include.map((inc) => {
    const name = /\/shipkit\/([\w-]+)@/.exec(inc.component)![1];
    return { local: `templates/${name}/template.yml`, inputs: { ...inc.inputs, ...extra[name] } };
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
    const dir = tempDir('skgl-e2e-');
    // The runtime image from this checkout, as CI builds it (shipkit's own build-push).
    beforeAll(() => void buildRuntimeImage(), 600_000);
    afterAll(() => {
      destroyApp(NAME, PORTS.live, PORTS.preview);
      removeDefaultState(NAME);
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
      const dockerConfig = tempDir('skgl-docker-');
      execFileSync(
        'docker',
        ['--config', dockerConfig, 'login', '-u', facts.registryUser, '--password-stdin', facts.registry],
        { input: facts.registryPassword, stdio: ['pipe', 'ignore', 'ignore'] },
      );
      chmodSync(dockerConfig, 0o755);
      chmodSync(join(dockerConfig, 'config.json'), 0o644);
      const common = [
        '--no-artifacts-to-source',
        '--variable',
        `DOCKER_CONFIG=${dockerConfig}`,
        // `tags: []` (the components' default) is valid on GitLab; gitlab-ci-local's schema asks for
        // at least one (https://github.com/firecow/gitlab-ci-local/issues/1503).
        '--ignore-schema-paths',
        '#/definitions/tags/minItems',
      ];
      for (const [k, v] of Object.entries(variables)) common.push('--variable', `${k}=${v}`);
      // An ordinary runner with the docker executor: the runtime image (never pulled: it was built
      // here), the host's socket and docker config mounted, host.docker.internal as Docker Desktop
      // and `extra_hosts = ["host.docker.internal:host-gateway"]` provide it. The helper image that
      // copies files in and out of job volumes is the local base image (the default is pulled).
      const inDocker = [
        ...common,
        '--pull-policy',
        'if-not-present',
        '--helper-image',
        facts.baseImage,
        '--volume',
        '/var/run/docker.sock:/var/run/docker.sock',
        '--volume',
        `${dockerConfig}:${dockerConfig}:ro`,
        '--extra-host',
        'host.docker.internal:host-gateway',
      ];
      const onHost = [...common, '--force-shell-executor', '--shell-isolation'];
      const passed = (out: string, jobs: string[]) => {
        for (const job of jobs) expect(out, `${job} passed`).toMatch(new RegExp(`PASS\\s+${job}\\b`));
      };
      const ci = ['shipkit-lint', 'shipkit-build', 'shipkit-test'];

      const release = async (deployJobs: string[]) => {
        const inImage = await run(dir, [...inDocker, ...ci], { DOCKER_CONFIG: dockerConfig });
        passed(inImage.out, ci);
        expect(inImage.code, inImage.out.slice(-4000)).toBe(0);
        // The jobs ran in the runtime image, not on the host.
        expect(inImage.out).toContain(`starting ${runtimeImageRef()}`);
        // Named jobs would start together; a person presses play on one manual job after the other.
        let out = inImage.out;
        for (const job of deployJobs) {
          const r = await run(dir, [...onHost, job], { DOCKER_CONFIG: dockerConfig });
          passed(r.out, [job]);
          expect(r.code, r.out.slice(-4000)).toBe(0);
          out += r.out;
        }
        return out;
      };

      // First release: deploy to blue, a person promotes it. Nothing to roll back to yet.
      const first = await release(['shipkit-deploy', 'shipkit-promote']);

      // Second release (a new commit): deploy to green, promote, then roll back to blue.
      writeFileSync(join(dir, 'app', 'RELEASE'), '2\n');
      git(dir, 'add', '-A');
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'release 2');
      const second = await release(['shipkit-deploy', 'shipkit-promote', 'shipkit-rollback']);
      expect(first + second).not.toContain(facts.registryPassword);
    }, 900_000);
  },
);
