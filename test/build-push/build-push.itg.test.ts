import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execute } from '../../src/core/run.js';
import { exec } from '../../src/core/exec.js';
import { inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/build-push/step.js';
import { missingDocker } from '../helpers/host.js';
import { FaultProxy } from './fault-proxy.js';
import { dockerOut, facts, FIXTURES, registryDelete, registryTags, rmi, RUN_TAG } from './helpers.js';

const run = promisify(execFile);
const skip = missingDocker();
const APP = join(FIXTURES, 'app');
const PROXY_PORT = 15210;

/** Runs the step in-process as the CLI and actions do; returns exit code and the recording platform. */
async function buildPush(inputs: Record<string, string>) {
  const platform = new MemoryPlatform();
  const code = await execute(step, inputsFrom(inputs), platform);
  return {
    code,
    platform,
    all: () => [platform.text(), ...platform.summaries, ...platform.outputs.values()].join('\n'),
  };
}

describe.skipIf(skip)(`build-push against the real registry${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const f = skip ? undefined! : facts();
  const repo = (name: string) => `${f.registry}/${name}`;
  const login = { username: f.registryUser, password: f.registryPassword, 'retry-delay': '200ms' };
  const created: string[] = [];
  const pushed: [string, string][] = [];
  let pullConfig: string;

  beforeAll(async () => {
    // A docker config of the test's own, to pull back what the step pushed (the step logs out after itself).
    pullConfig = mkdtempSync(join(tmpdir(), 'skbp-pull-'));
    await exec(
      'docker',
      ['--config', pullConfig, 'login', '-u', f.registryUser, '--password-stdin', f.registry],
      {
        input: f.registryPassword,
      },
    );
  });

  afterAll(async () => {
    rmi(...created);
    for (const [r, t] of pushed) await registryDelete(r, t);
    rmSync(pullConfig, { recursive: true, force: true });
    rmSync('/tmp/skbp-pwned', { force: true });
  });

  it('logs in, builds FROM the local base image, pushes, and the pull by digest gives the same image id', async () => {
    const tag = `${repo('skbp-itg-app')}:${RUN_TAG}`;
    created.push(tag);
    pushed.push(['skbp-itg-app', RUN_TAG]);
    const { code, platform, all } = await buildPush({
      ...login,
      context: APP,
      tags: tag,
      'build-args': `BASE_IMAGE=${f.baseImage}`,
      labels: 'org.opencontainers.image.title=skbp app\nteam=shipkit',
    });
    expect(code, platform.text()).toBe(0);
    const digest = platform.outputs.get('digest')!;
    const imageid = platform.outputs.get('imageid')!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(imageid).toMatch(/^sha256:[0-9a-f]{64}$/);
    const images = JSON.parse(platform.outputs.get('images')!) as Record<
      string,
      { image: string; tags: string[]; size: number }
    >;
    expect(images['skbp-itg-app']).toMatchObject({
      image: `${repo('skbp-itg-app')}@${digest}`,
      tags: [tag],
      digest,
      imageid,
    });
    expect(Number(platform.outputs.get('size'))).toBe(images['skbp-itg-app'].size);
    expect(dockerOut(['image', 'inspect', '--format', '{{index .Config.Labels "team"}}', tag])).toBe(
      'shipkit',
    );
    expect(platform.summaries[0]).toContain('| Image | Tags | Digest | Size | Layers | Build time |');
    expect(platform.text()).toContain(`Logged out of ${f.registry}`);
    // The private docker config is gone, the password appears nowhere.
    expect(existsSync(platform.getState('docker-config'))).toBe(false);
    expect(all()).not.toContain(f.registryPassword);

    rmi(tag);
    const ref = `${repo('skbp-itg-app')}@${digest}`;
    created.push(ref);
    await run('docker', ['--config', pullConfig, 'pull', ref]);
    expect(dockerOut(['image', 'inspect', '--format', '{{.Id}}', ref])).toBe(imageid);
  });

  it('logs out through docker when the login landed in a credential store, not in the private config', async () => {
    // docker picks a platform credential store when the config names none and holds no auths: a
    // file-backed stand-in for docker-credential-secretservice/-pass shows where the password went.
    const dir = mkdtempSync(join(tmpdir(), 'skbp-helper-'));
    const store = join(dir, 'store');
    for (const name of ['docker-credential-secretservice', 'docker-credential-pass']) {
      writeFileSync(
        join(dir, name),
        [
          '#!/bin/sh',
          'case "$1" in',
          `  store) cat > "${store}"; echo store >> "${store}.log";;`,
          `  get) read url; if [ -f "${store}" ]; then cat "${store}"; else echo "credentials not found in native keychain"; exit 1; fi;;`,
          `  erase) read url; rm -f "${store}"; echo "erase $url" >> "${store}.log";;`,
          "  list) echo '{}';;",
          'esac',
          '',
        ].join('\n'),
      );
      chmodSync(join(dir, name), 0o755);
    }
    const saved = { PATH: process.env.PATH, DOCKER_CONFIG: process.env.DOCKER_CONFIG };
    Object.assign(process.env, { PATH: `${dir}:${saved.PATH}`, DOCKER_CONFIG: join(dir, 'empty-config') });
    const local = `skbp-itg-helper:${RUN_TAG}`;
    created.push(local);
    try {
      const { code, platform } = await buildPush({
        ...login,
        registry: f.registry,
        context: APP,
        tags: local,
        push: 'false',
        'build-args': `BASE_IMAGE=${f.baseImage}`,
      });
      expect(code, platform.text()).toBe(0);
      const log = readFileSync(`${store}.log`, 'utf8');
      expect(log).toMatch(/^store\n/);
      expect(log).toContain(`erase ${f.registry}\n`);
      expect(existsSync(store)).toBe(false);
      expect(platform.text()).toContain(`Logged out of ${f.registry}`);
      expect(existsSync(platform.getState('docker-config'))).toBe(false);
    } finally {
      Object.assign(process.env, saved);
      if (saved.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong password in one clear line, without retrying and without the password in any output', async () => {
    const wrong = 'skbp-Wrong-Passw0rd-123';
    const { code, platform, all } = await buildPush({
      ...login,
      password: wrong,
      context: APP,
      tags: `${repo('skbp-itg-denied')}:${RUN_TAG}`,
      'build-args': `BASE_IMAGE=${f.baseImage}`,
    });
    expect(code).toBe(2);
    const error = platform.lines.find((l) => l.level === 'error')!.message;
    expect(error).toMatch(
      /^input "password": login to 127\.0\.0\.1:5000 was refused by the registry \(not retried\): .*401 Unauthorized — check the username/,
    );
    expect(platform.lines.filter((l) => l.message.includes('retrying'))).toEqual([]);
    expect(all()).not.toContain(wrong);
    // The same through the bundled CLI, capturing stdout and stderr of the whole process.
    const cli = await run(
      'node',
      [
        'dist/cli/index.js',
        'build-push',
        APP,
        '-t',
        `${repo('skbp-itg-denied')}:${RUN_TAG}`,
        '--username',
        f.registryUser,
        '--password',
        wrong,
        '--build-args',
        `BASE_IMAGE=${f.baseImage}`,
      ],
      {
        cwd: join(import.meta.dirname, '../..'),
        env: { ...process.env, SHIPKIT_DEBUG: '1' },
      },
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('was refused by the registry');
    expect(cli.stdout + cli.stderr).not.toContain(wrong);
  });

  describe('through a fault proxy in front of the registry', () => {
    const proxy = new FaultProxy(5000, PROXY_PORT);
    const tag = `127.0.0.1:${PROXY_PORT}/skbp-itg-flaky:${RUN_TAG}`;
    beforeAll(() => proxy.start());
    afterAll(() => proxy.stop());

    it('retries a login and a push that get 503s, then succeeds', async () => {
      created.push(tag);
      pushed.push(['skbp-itg-flaky', RUN_TAG]);
      // docker turns a 503 on its /v2/ ping into "401 Unauthorized" (it then sends no credentials):
      // shipkit checks the credentials itself before calling that final, finds them good, and retries.
      proxy.failNext(1, /^GET \/v2\/$/);
      proxy.failNext(2, /^PUT .*\/manifests\//); // docker itself gives up at once on a manifest 503
      const { code, platform } = await buildPush({
        ...login,
        context: APP,
        tags: tag,
        'build-args': `BASE_IMAGE=${f.baseImage}`,
      });
      expect(code, platform.text()).toBe(0);
      expect(proxy.injected).toBe(3);
      const retries = platform.lines.filter(
        (l) => l.level === 'warning' && /retrying in \d+ ms/.test(l.message),
      );
      expect(retries.map((l) => l.message.split(':')[0])).toEqual([
        'login to 127.0.0.1',
        `push of ${tag.split(':')[0]}`,
        `push of ${tag.split(':')[0]}`,
      ]);
      expect(retries[0].message).toMatch(/401 Unauthorized \(but the registry accepts these credentials/);
      expect(retries[1].message).toMatch(/503 Service Unavailable/);
      expect(await registryTags('skbp-itg-flaky')).toContain(RUN_TAG);
      expect(platform.outputs.get('digest')).toMatch(/^sha256:/);
    });

    it('retries a push whose registry ping got a 503, which docker reports as "authentication required"', async () => {
      const tag2 = tag.replace(RUN_TAG, `${RUN_TAG}-ping`);
      created.push(tag2);
      pushed.push(['skbp-itg-flaky', `${RUN_TAG}-ping`]);
      // Let the login's two /v2/ requests through, then fail the push's ping once.
      proxy.failNext(1, /^GET \/v2\/$/, 503, 2);
      const { code, platform } = await buildPush({
        ...login,
        context: APP,
        tags: tag2,
        'build-args': `BASE_IMAGE=${f.baseImage}`,
      });
      expect(code, platform.text()).toBe(0);
      const retries = platform.lines.filter((l) => l.level === 'warning' && /retrying in/.test(l.message));
      expect(retries).toHaveLength(1);
      expect(retries[0].message).toMatch(
        /^push of .*authentication required \(but the registry accepts these credentials/,
      );
      expect(await registryTags('skbp-itg-flaky')).toContain(`${RUN_TAG}-ping`);
    });

    it('stops after the bounded attempts with a clear final error', async () => {
      proxy.failNext(50, /^PUT .*\/manifests\//);
      const { code, platform } = await buildPush({
        ...login,
        context: APP,
        tags: tag,
        retries: '2',
        'build-args': `BASE_IMAGE=${f.baseImage}`,
      });
      expect(code).toBe(1);
      const error = platform.lines.find((l) => l.level === 'error')!.message;
      expect(error).toBe(
        `push of ${tag} failed after 2 attempts on transient registry errors; last: received unexpected HTTP status: 503 Service Unavailable`,
      );
    });
  });

  it('shell injection in a tag changes nothing on the host and is refused; build-arg backticks stay literal', async () => {
    rmSync('/tmp/skbp-pwned', { force: true });
    const bad = await buildPush({ ...login, context: APP, tags: '$(touch /tmp/skbp-pwned)', push: 'false' });
    expect(bad.code).toBe(2);
    expect(bad.platform.text()).toContain(
      'input "tags" line 1: invalid image reference "$(touch /tmp/skbp-pwned)"',
    );
    const local = `skbp-itg-inject:${RUN_TAG}`;
    created.push(local);
    const msg = 'a `touch /tmp/skbp-pwned` $(touch /tmp/skbp-pwned); touch /tmp/skbp-pwned';
    const ok = await buildPush({
      context: APP,
      tags: local,
      push: 'false',
      'build-args': `BASE_IMAGE=${f.baseImage}\nMSG=${msg}`,
    });
    expect(ok.code, ok.platform.text()).toBe(0);
    expect(existsSync('/tmp/skbp-pwned')).toBe(false);
    // The value reached the Dockerfile's RUN as data: the shell there quoted "$MSG", so it is stored verbatim.
    expect(dockerOut(['run', '--rm', '--network', 'none', local, 'cat', '/msg'])).toBe(msg);
  });

  it('fails an image over the max-size budget before pushing, naming the biggest layers and how to slim them', async () => {
    const tag = `${repo('skbp-itg-budget')}:${RUN_TAG}`;
    created.push(tag);
    const { code, platform } = await buildPush({
      ...login,
      context: APP,
      tags: tag,
      'max-size': '15MB',
      'build-args': `BASE_IMAGE=${f.baseImage}`,
    });
    expect(code).toBe(1);
    const error = platform.lines.find((l) => l.level === 'error')!.message;
    expect(error).toMatch(
      /^1 image\(s\) over the size budget; nothing was pushed\.\nskbp-itg-budget: image is \d+\.\d MB, over the max-size budget of 15\.0 MB/,
    );
    expect(error).toMatch(/\n +\d+\.\d+ MB {2}\(base image layer, no history\)\n/);
    expect(error).toMatch(/ B {2}COPY file:[0-9a-f]+ in \/srv\/app\.txt/);
    expect(error).toContain('alpine');
    expect(await registryTags('skbp-itg-budget')).toEqual([]);
    expect(platform.outputs.get('imageid')).toMatch(/^sha256:/);
  });

  it('in parallel, pushes no further image once a build has failed', async () => {
    // "broken" fails at once; "slow" is still building then, so it must not be pushed after the failure.
    const dir = mkdtempSync(join(tmpdir(), 'skbp-fail-'));
    const slow = `${repo('skbp-itg-slow')}:${RUN_TAG}`;
    created.push(slow);
    try {
      for (const [name, body] of [
        ['slow', `FROM ${f.baseImage}\nRUN sleep 2 && echo ${RUN_TAG} > /built\n`],
        ['broken', `FROM ${f.baseImage}\nRUN exit 3\n`],
      ]) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'Dockerfile'), body);
      }
      writeFileSync(
        join(dir, 'compose.yml'),
        `services:\n  slow:\n    build: ./slow\n    image: ${slow}\n  broken:\n    build: ./broken\n    image: ${repo('skbp-itg-broken')}:${RUN_TAG}\n`,
      );
      const containers = () => execFileSync('docker', ['ps', '-aq'], { encoding: 'utf8' }).trim();
      const before = containers();
      const { code, platform } = await buildPush({
        ...login,
        'compose-file': join(dir, 'compose.yml'),
        'max-parallel': '2',
      });
      expect(code).toBe(1);
      // The failed RUN step's container is removed too (classic builder: --force-rm).
      expect(containers()).toBe(before);
      expect(platform.lines.find((l) => l.level === 'error')!.message).toMatch(/^build of broken failed/);
      expect(platform.text()).toContain('slow: not pushed (another image failed)');
      expect(await registryTags('skbp-itg-slow')).toEqual([]);
      const images = JSON.parse(platform.outputs.get('images')!) as Record<string, { digest: string }>;
      expect(images.slow.digest).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('at max-parallel 1, builds one image at a time and pushes each as soon as it is built, while the next builds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbp-seq-'));
    const ref = (name: string) => `${repo(`skbp-itg-${name}`)}:${RUN_TAG}`;
    created.push(ref('first'), ref('second'));
    pushed.push(['skbp-itg-first', RUN_TAG], ['skbp-itg-second', RUN_TAG]);
    try {
      for (const [name, body] of [
        ['first', `FROM ${f.baseImage}\nRUN echo first-${RUN_TAG} > /built\n`],
        // Long enough that the first push (a few small layers to the local registry) is done before it is.
        ['second', `FROM ${f.baseImage}\nRUN echo second-starts && sleep 4 && echo ${RUN_TAG} > /built\n`],
      ]) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'Dockerfile'), body);
      }
      writeFileSync(
        join(dir, 'compose.yml'),
        `services:\n  first:\n    build: ./first\n    image: ${ref('first')}\n  second:\n    build: ./second\n    image: ${ref('second')}\n`,
      );
      const { code, platform } = await buildPush({
        ...login,
        'compose-file': join(dir, 'compose.yml'),
        'max-parallel': '1',
      });
      expect(code, platform.text()).toBe(0);
      const lines = platform.lines.map((l) => l.message);
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      // One build at a time: the second starts after the first is built…
      expect(at(/^first: built sha256:/)).toBeLessThan(at(/^second-starts$/));
      // …and the first is pushed while the second builds.
      expect(at(/^first: pushed /)).toBeGreaterThan(at(/^first: built /));
      expect(at(/^first: pushed /)).toBeLessThan(at(/^second: built /));
      expect(at(/^second: pushed /)).toBeGreaterThan(at(/^second: built /));
      expect(platform.text()).not.toMatch(/\[first\]|\[second\]/); // one build at a time: no prefixes
      expect(lines).toContain('Build and push first, second');
      expect(await registryTags('skbp-itg-first')).toEqual([RUN_TAG]);
      expect(await registryTags('skbp-itg-second')).toEqual([RUN_TAG]);
      const images = JSON.parse(platform.outputs.get('images')!) as Record<
        string,
        { digest: string; size: number }
      >;
      expect(images.first.digest).toMatch(/^sha256:/);
      expect(images.second.size).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('at max-parallel 1, an image pushed before a failed build stays pushed; none after it is pushed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbp-seqfail-'));
    const ref = (name: string) => `${repo(`skbp-itg-${name}`)}:${RUN_TAG}`;
    created.push(ref('ok'), ref('after'));
    pushed.push(['skbp-itg-ok', RUN_TAG]);
    try {
      for (const [name, body] of [
        ['ok', `FROM ${f.baseImage}\nRUN echo ok-${RUN_TAG} > /built\n`],
        ['broken', `FROM ${f.baseImage}\nRUN sleep 2 && exit 3\n`],
        ['after', `FROM ${f.baseImage}\nRUN echo after-${RUN_TAG} > /built\n`],
      ]) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'Dockerfile'), body);
      }
      writeFileSync(
        join(dir, 'compose.yml'),
        `services:\n${['ok', 'broken', 'after'].map((n) => `  ${n}:\n    build: ./${n}\n    image: ${ref(n)}\n`).join('')}`,
      );
      const { code, platform } = await buildPush({
        ...login,
        'compose-file': join(dir, 'compose.yml'),
        'max-parallel': '1',
      });
      expect(code).toBe(1);
      expect(platform.lines.find((l) => l.level === 'error')!.message).toMatch(/^build of broken failed/);
      expect(await registryTags('skbp-itg-ok')).toEqual([RUN_TAG]);
      expect(platform.text()).toContain('after: not pushed (another image failed)');
      expect(await registryTags('skbp-itg-after')).toEqual([]);
      const images = JSON.parse(platform.outputs.get('images')!) as Record<string, { digest: string }>;
      expect(images.ok.digest).toMatch(/^sha256:/);
      expect(images.after.digest).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds every compose service with build: in parallel and reports each in the images JSON', async () => {
    Object.assign(process.env, { SKBP_REGISTRY: f.registry, SKBP_TAG: RUN_TAG, SKBP_BASE: f.baseImage });
    try {
      const refs = ['web', 'worker'].map((s) => `${repo(`skbp-itg-${s}`)}:${RUN_TAG}`);
      created.push(...refs, ...refs.map((r) => r.replace(RUN_TAG, `${RUN_TAG}-b`)));
      pushed.push(
        ['skbp-itg-web', RUN_TAG],
        ['skbp-itg-worker', RUN_TAG],
        ['skbp-itg-web', `${RUN_TAG}-b`],
        ['skbp-itg-worker', `${RUN_TAG}-b`],
      );
      const { code, platform } = await buildPush({
        ...login,
        'compose-file': join(FIXTURES, 'stack/compose.yml'),
        tags: `${RUN_TAG}-b`,
        'max-parallel': '2',
      });
      expect(code, platform.text()).toBe(0);
      const images = JSON.parse(platform.outputs.get('images')!) as Record<
        string,
        { image: string; tags: string[]; digest: string; size: number }
      >;
      expect(Object.keys(images)).toEqual(['web', 'worker']);
      expect(images.web.tags).toEqual([refs[0], refs[0].replace(RUN_TAG, `${RUN_TAG}-b`)]);
      expect(images.worker.image).toBe(`${repo('skbp-itg-worker')}@${images.worker.digest}`);
      expect(platform.outputs.get('digest')).toBe(`web=${images.web.digest}\nworker=${images.worker.digest}`);
      // Each image is pushed as soon as its own build is done, and still measured.
      expect(platform.lines.filter((l) => l.level === 'group').map((l) => l.message)).toContain(
        'Build and push web, worker',
      );
      expect(images.web.size).toBeGreaterThan(0);
      expect(platform.outputs.get('size')).toBe(`web=${images.web.size}\nworker=${images.worker.size}`);
      expect(platform.text()).toMatch(/\[web\] .*Step \d\/\d/); // parallel logs carry the service name
      expect(dockerOut(['run', '--rm', '--network', 'none', refs[1]])).toBe('worker');
    } finally {
      for (const k of ['SKBP_REGISTRY', 'SKBP_TAG', 'SKBP_BASE']) delete process.env[k];
    }
  });
});
