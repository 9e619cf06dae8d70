/** Shared set-up for the blue-green integration tests: images, inputs, a run helper, the CLI bundle. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect } from 'vitest';
import { InputReader, inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { colourReplicas, removeAll } from '../../src/blue-green/engine.js';
import { StepFailure } from '../../src/core/errors.js';
import { getInputs, runBlueGreen } from '../../src/blue-green/step.js';
import { httpGet } from '../../src/blue-green/probe.js';
import { runSmoke } from '../../src/smoke/index.js';
import type { AppSettings } from '../../src/blue-green/plan.js';
import { hostFacts } from '../helpers/host.js';
import { tempDir } from '../helpers/tmp.js';
import type { SmokeRunner } from '../../src/smoke/api.js';

const root = join(import.meta.dirname, '..', '..');

/** Builds the test images once: the example app (1 and 2), one never healthy, one answering 500. */
export function buildImages(base: string): void {
  const dockerBuild = (tag: string, context: string, args: string[] = []) =>
    execFileSync('docker', ['build', '-q', ...args, '-t', tag, context], { stdio: 'ignore' });
  dockerBuild('skbg-itg-app:1', join(root, 'examples/lb-stack/app'), ['--build-arg', `NODE_IMAGE=${base}`]);
  execFileSync('docker', ['tag', 'skbg-itg-app:1', 'skbg-itg-app:2']);
  execFileSync('docker', ['tag', 'skbg-itg-app:1', 'skbg-itg-app:3']);
  const dir = mkdtempSync(join(tmpdir(), 'skbg-img-'));
  try {
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM skbg-itg-app:1\nHEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["false"]\n',
    );
    dockerBuild('skbg-itg-bad:unhealthy', dir);
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM skbg-itg-app:1\nCMD ["node", "-e", "require(\'http\').createServer((q,s)=>{s.writeHead(q.url===\'/healthz\'?200:500);s.end(\'x\')}).listen(3000)"]\n',
    );
    dockerBuild('skbg-itg-bad:500', dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Harness {
  values: Record<string, string>;
  run(command: string, extra?: Record<string, string>, smoke?: SmokeRunner): Promise<MemoryPlatform>;
}

/** Inputs for one test app; `run` executes a command in-process and returns the platform it logged to. */
export function harness(values: Record<string, string>, env: Record<string, string> = {}): Harness {
  return {
    values,
    async run(command, extra = {}, smoke = runSmoke) {
      const platform = new MemoryPlatform();
      const inputs = getInputs(new InputReader(inputsFrom({ ...values, ...extra, command })), env);
      try {
        await runBlueGreen(inputs, platform, smoke);
      } catch (err: unknown) {
        (err as { platform?: MemoryPlatform }).platform = platform;
        throw err;
      }
      return platform;
    },
  };
}

/** The colour that answers the live route now (the app's X-Colour header). */
export async function colourAt(port: number): Promise<string> {
  const res = await httpGet(`http://127.0.0.1:${port}/`);
  return String(res.headers['x-colour'] ?? `HTTP ${res.status}`);
}

/** An error a harness run threw, with the platform the run logged to. */
export type RunError = Error & { platform: MemoryPlatform };

/** The error a command fails with (the test fails when it passes). */
export async function failure(p: Promise<unknown>): Promise<RunError> {
  try {
    await p;
  } catch (err: unknown) {
    return err as RunError;
  }
  throw new Error('expected the command to fail');
}

/**
 * Deploys version 2 listening on loopback inside its containers (its own healthcheck passes, the LB
 * cannot connect) and checks the step fails naming both green replicas as unreachable through the LB.
 * Gives back the error and the replicas' addresses for the LB-specific part of the message.
 */
export async function deployUnreachable(
  h: Harness,
  app: TestApp,
  healthTimeout: string,
): Promise<{ err: RunError; ips: string[] }> {
  const err = await failure(
    h.run('deploy', { image: 'skbg-itg-app:2', env: 'HOST=127.0.0.1', 'health-timeout': healthTimeout }),
  );
  expect(err).toBeInstanceOf(StepFailure);
  const ips = (await colourReplicas(app.settings(), 'green')).map((r) => r.ip);
  expect(ips).toHaveLength(2);
  expect(err.message).toMatch(
    /2 of 2 replicas of green are healthy in Docker but not reachable through the load balancer/,
  );
  return { err, ips };
}

/** The app version that answers on `port` now (the app's X-App-Version header). */
export async function versionAt(port: number): Promise<string> {
  const res = await httpGet(`http://127.0.0.1:${port}/`);
  return String(res.headers['x-app-version'] ?? `HTTP ${res.status}`);
}

/**
 * Bundles the CLI from source with the kill tests' `--pause` seam (test/blue-green/paused-cli.ts) into
 * `dir`: by default a temp dir removed after the test; from a `beforeAll`, pass a dir the suite removes.
 */
export async function bundleCli(dir = tempDir('skbg-cli-')): Promise<string> {
  const out = join(dir, 'cli.mjs');
  await build({
    entryPoints: [join(root, 'test/blue-green/paused-cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'silent',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return out;
}

/** Runs the CLI until it prints `waitFor`, then SIGKILLs it (a runner dying mid-command). */
export function killAt(cli: string, args: string[], pause: string, waitFor: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [cli, `--pause=${pause}`, 'bluegreen', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      if (waitFor.test(log)) child.kill('SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(log)
        : reject(new Error(`CLI ended (${code}) before ${String(waitFor)}:\n${log}`)),
    );
  });
}

/** A test app: its state folder, its step inputs, and the settings they give. */
export interface TestApp {
  dir: string;
  values: Record<string, string>;
  settings: () => AppSettings;
}

/** Removes what a test app left: its containers and network, then its state folder. */
export async function removeTestApp(app: TestApp): Promise<void> {
  await removeAll(app.settings());
  rmSync(app.dir, { recursive: true, force: true });
}

/** Hooks for a suite on one test app: the test images are built before it, the app removed after it. */
export function withTestApp(app: TestApp): void {
  beforeAll(() => buildImages(app.values['lb-image']));
  afterAll(() => removeTestApp(app));
}

/** A test app on the local base image: its inputs, its state dir, and the settings they give. */
export function testApp(
  lb: 'nginx' | 'haproxy',
  port: number,
  name = `skbg-itg-${lb}`,
  overrides: Record<string, string> = {},
): TestApp {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const values: Record<string, string> = {
    name,
    lb,
    'lb-image': hostFacts()?.baseImage ?? 'shipkit/base:bookworm',
    port: String(port),
    'bind-address': '127.0.0.1',
    'state-dir': dir,
    'health-timeout': '40s',
    'healthcheck-timeout': '10s',
    'smoke-requests': '10',
    // The command summary goes to the test's own dir, never the working directory.
    'summary-file': join(dir, 'summary.md'),
    ...overrides,
  };
  const settings = () =>
    getInputs(new InputReader(inputsFrom({ ...values, command: 'status' })), {}).settings;
  return { dir, values, settings };
}
