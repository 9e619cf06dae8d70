import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionWithPost, runBundledAction } from '../helpers/gha.js';
import { missingDocker } from '../helpers/host.js';

/**
 * Every bundled action, run the way GitHub's runner runs it: `node dist/<step>/index.js` with
 * INPUT_* variables and real GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, the post
 * phase after the main one where the action has one. Each step's own tests go deeper (a real push,
 * a real stack, a real switch); this file proves every shipped bundle starts, reads its inputs,
 * writes its outputs and ends with the right status, on the Node that runs the tests.
 */
const root = join(import.meta.dirname, '..', '..');
const bundle = (step: string) => join(root, 'dist', step, 'index.js');
const skip = missingDocker();

describe.skipIf(skip)(`bundled actions run as GitHub runs them${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: Server;
  let url = '';
  const dir = mkdtempSync(join(tmpdir(), 'shipkit-bundles-'));
  beforeAll(async () => {
    let n = 0;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': `replica-${n++ % 2}` });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('lint: the example Dockerfiles, counts as outputs and a summary table', async () => {
    const r = await runBundledAction(bundle('lint'), { dockerfile: 'examples/lb-stack' }, { cwd: root });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '0', total: '0' });
    expect(r.outputs.files.split('\n')).toHaveLength(3);
  });

  it('lint through the all-in-one root action (`step: lint`) fails on a finding with an annotation', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:latest\nRUN apt-get install curl\n');
    const r = await runBundledAction(
      bundle('all'),
      { step: 'lint', dockerfile: join(dir, 'Dockerfile') },
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::warning title=DL3007,file=.*Dockerfile,line=1,/);
    expect(Number(r.outputs.total)).toBeGreaterThan(0);
  });

  it('meta: tags and labels from a push to main', async () => {
    const r = await runBundledAction(
      bundle('meta'),
      { images: 'ghcr.io/acme/app', 'github-token': '' },
      {
        cwd: dir,
        env: {
          GITHUB_EVENT_NAME: 'push',
          GITHUB_REF: 'refs/heads/main',
          GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
          GITHUB_REPOSITORY: 'acme/app',
          GITHUB_API_URL: 'http://127.0.0.1:9',
          SOURCE_DATE_EPOCH: '1700000000',
        },
      },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.tags).toBe('ghcr.io/acme/app:main');
    expect(r.outputs.labels).toContain(
      'org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567',
    );
  });

  it('build-push: a bad tag is one error line, exit 1, and the post phase still runs clean', async () => {
    const { main, post } = await runActionWithPost(
      bundle('build-push'),
      { tags: 'Not A Valid:Ref!', push: 'false' },
      { cwd: dir },
    );
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(/::error::.*input "tags"/);
    expect(post?.code ?? 0).toBe(0);
  });

  it('stack: gc of a prefix nobody uses removes nothing and says so', async () => {
    const r = await runBundledAction(
      bundle('stack'),
      { command: 'gc', prefix: 'skbundle-none', 'older-than': '1s' },
      { cwd: dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.removed).toBe('0');
  });

  it("runner: a host-only gc with no token removes no one else's containers", async () => {
    const r = await runBundledAction(
      bundle('runner'),
      { command: 'gc', 'name-prefix': 'skbundle-none' },
      { cwd: dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs['removed-containers']).toBe('0');
  });

  it('smoke: a loopback target with two backends passes and gets a summary with Mermaid charts', async () => {
    const r = await runBundledAction(
      bundle('smoke'),
      { url, requests: '40', concurrency: '4', 'min-backends': '2', 'report-dir': join(dir, 'smoke') },
      { cwd: dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ passed: 'true', requests: '40', failures: '0' });
    expect(JSON.parse(r.outputs.backends)).toEqual({ 'replica-0': 20, 'replica-1': 20 });
    expect(r.summary).toContain('```mermaid');
  });

  it('blue-green: status of an app that was never deployed', async () => {
    const r = await runBundledAction(
      bundle('blue-green'),
      { command: 'status', name: 'skbundle-none', 'state-dir': join(dir, 'bg'), format: 'json' },
      { cwd: dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs['live-colour']).toBe('');
    expect(JSON.parse(r.outputs.status)).toMatchObject({ name: 'skbundle-none', live: null });
  });

  it('notify: without credentials it warns and skips, never failing the job', async () => {
    const r = await runBundledAction(bundle('notify'), { event: 'started' }, { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::/);
    expect(r.outputs.ok).toBe('false');
  });
});
