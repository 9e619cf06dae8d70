import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingDocker } from '../helpers/host.js';
import { FIXTURES, forceRemove, leftovers, NONE, projectFor, runStack } from './helpers.js';

const skip = missingDocker();
const projects: string[] = [];
const logsRoot = join(tmpdir(), `skstack-faults-${process.pid}`);

function fixture(name: string, extra: Record<string, string | number | boolean> = {}) {
  const project = projectFor(name);
  projects.push(project);
  const logsDir = join(logsRoot, project);
  return {
    project,
    logsDir,
    inputs: {
      command: 'up',
      'working-directory': join(FIXTURES, name),
      project,
      'logs-dir': logsDir,
      timeout: '40s',
      ...extra,
    },
  };
}

describe.skipIf(skip)(`stack faults on the real engine${skip ? ` (skipped: ${skip})` : ''}`, () => {
  afterAll(() => {
    projects.forEach(forceRemove);
    rmSync(logsRoot, { recursive: true, force: true });
  });

  it('a compose file that does not parse: exit 2 with file:line, nothing created', async () => {
    const f = fixture('bad-yaml');
    const r = await runStack(f.inputs);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/error: compose\.yml:4:\d+: YAML syntax error: /);
    expect(leftovers(f.project)).toEqual(NONE);
    expect(existsSync(join(tmpdir(), 'shipkit-stack', f.project))).toBe(false);
  });

  it("valid YAML that compose rejects: exit 2 with compose's reason, nothing created", async () => {
    const f = fixture('invalid-config');
    const r = await runStack(f.inputs);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/error: compose\.yml: compose rejects the configuration: .*comand/);
    expect(leftovers(f.project)).toEqual(NONE);
  });

  it('a service in scale that does not exist: exit 2 naming it, the input and the file', async () => {
    const f = fixture('small', { scale: 'web=2\nwebapp=3' });
    const r = await runStack(f.inputs);
    expect(r.code).toBe(2);
    expect(r.text).toContain(
      'error: compose.yml:2: services: input "scale" names service "webapp", which is not defined (services: web, side)',
    );
    expect(leftovers(f.project)).toEqual(NONE);
  });

  it('a service in images that does not exist: exit 2', async () => {
    const f = fixture('small', { images: JSON.stringify({ db: { image: 'x@sha256:1' } }) });
    const r = await runStack(f.inputs);
    expect(r.code).toBe(2);
    expect(r.text).toContain('input "images" names service "db"');
  });

  describe('a port already taken', () => {
    let server: Server;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((res) => server.listen(15351, '127.0.0.1', res));
      process.env.TAKEN_PORT = '15351';
    });
    afterAll(() => new Promise<void>((res) => server.close(() => res())));

    it('fails naming the service and the port, logs saved, nothing left', async () => {
      const f = fixture('port');
      const r = await runStack(f.inputs);
      expect(r.code).toBe(1);
      expect(r.text).toMatch(
        /error: stack skstack-port-\S+ did not come up: service lb: compose up failed: host port 127.0.0.1:15351 is already in use/,
      );
      expect(r.text).toContain('15351');
      expect(existsSync(f.logsDir)).toBe(true);
      expect(leftovers(f.project)).toEqual(NONE);
    });
  });

  it('a service that exits: names it and its exit code, prints its log, saves logs, nothing left', async () => {
    const f = fixture('exits');
    const r = await runStack(f.inputs);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(
      /error: stack \S+ did not come up: service worker \(\S+_worker_1\): exited with code 3/,
    );
    expect(r.text).toMatch(
      /group: Last 50 log lines of \S+_worker_1 \(service worker, exited, exit code 3\)/,
    );
    expect(r.text).toContain('info: fatal: no database');
    const files = readdirSync(f.logsDir);
    expect(files.sort()).toEqual([`${f.project}_ok_1.log`, `${f.project}_worker_1.log`]);
    // Docker reads stdout and stderr separately: their relative order (and timestamps) is not guaranteed.
    const saved = readFileSync(join(f.logsDir, `${f.project}_worker_1.log`), 'utf8');
    expect(saved).toMatch(/Z connecting to the database$/m);
    expect(saved).toMatch(/Z fatal: no database$/m);
    expect(leftovers(f.project)).toEqual(NONE);
  });

  it('a service that never becomes healthy: names it and the failing probe, nothing left', async () => {
    const f = fixture('unhealthy');
    const r = await runStack(f.inputs);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(
      /did not come up: service api \(\S+_api_1\): healthcheck failing \(exit 1: db not reachable\)/,
    );
    expect(r.text).toMatch(/info: \[\d+\.\ds\] api: 1 starting/);
    expect(r.text).toMatch(/info: \[\d+\.\ds\] api: 1 unhealthy/);
    expect(r.text).toContain('info: api listening');
    expect(existsSync(join(f.logsDir, `${f.project}_api_1.log`))).toBe(true);
    expect(leftovers(f.project)).toEqual(NONE);
  });

  it('the overall timeout: names the service still starting, nothing left', async () => {
    const f = fixture('slow', { timeout: '3s' });
    const r = await runStack(f.inputs);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(
      /did not come up: timed out after \d+s waiting for service slow \((starting|no container)\)/,
    );
    expect(leftovers(f.project)).toEqual(NONE);
  });
});
