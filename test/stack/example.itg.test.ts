import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostFacts, missingDocker } from '../helpers/host.js';
import { forceRemove, leftovers, NONE, OWNER, projectFor, runStack } from './helpers.js';

const skip = missingDocker();
const EXAMPLE = join(import.meta.dirname, '../../examples/lb-stack');
const PORT = 15352;
const project = projectFor('example');
const logsDir = join(tmpdir(), `skstack-example-${process.pid}`);
const RELAXED = join(import.meta.dirname, 'fixtures/relaxed-health.yml');
const common = {
  'working-directory': EXAMPLE,
  'compose-file': `compose.yml\n${RELAXED}`,
  project,
  'logs-dir': logsDir,
};

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' });
}

// One full up/down cycle of the example stack (nginx in front of 3 app replicas), built with the
// local base image, with ps/logs in between: the tests below run in order and share the stack.
describe.skipIf(skip)(
  `stack: the example stack on the real engine${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    beforeAll(() => {
      const base = hostFacts()?.baseImage ?? 'shipkit/base:bookworm';
      Object.assign(process.env, {
        NODE_IMAGE: base,
        NGINX_IMAGE: base,
        HAPROXY_IMAGE: base,
        APP_IMAGE: 'skstack-app:itg',
        LB_IMAGE: 'skstack-lb:itg',
        LB_PORT: String(PORT),
      });
    });
    afterAll(() => {
      forceRemove(project);
      rmSync(logsDir, { recursive: true, force: true });
      execFileSync('docker', ['rmi', '-f', 'skstack-app:itg', 'skstack-lb:itg'], { stdio: 'ignore' });
    });

    it('up: builds, scales app=3, waits for healthy and the ready URL, showing progress', async () => {
      const r = await runStack({
        ...common,
        command: 'up',
        build: true,
        scale: 'app=3',
        'ready-url': `http://127.0.0.1:${PORT}/healthz`,
        timeout: '150s',
      });
      expect(r.code, r.text).toBe(0);
      expect(r.platform.outputs.get('project')).toBe(project);
      expect(JSON.parse(r.platform.outputs.get('services') ?? '{}')).toEqual({
        app: { containers: [1, 2, 3].map((n) => `${project}_app_${n}`), state: 'app: 3 healthy' },
        lb: { containers: [`${project}_lb_1`], state: 'lb: 1 healthy' },
      });
      expect(r.text).toMatch(/info: \[\d+\.\ds\] app: (3 starting|3 not created)/);
      expect(r.text).toMatch(/info: \[\d+\.\ds\] app: 3 healthy/);
      expect(r.text).toMatch(/info: \[\d+\.\ds\] lb: 1 healthy/);
      expect(readdirSync(logsDir).sort()).toEqual([
        `${project}_app_1.log`,
        `${project}_app_2.log`,
        `${project}_app_3.log`,
        `${project}_lb_1.log`,
      ]);
    });

    it('the load balancer spreads requests over the 3 replicas', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`http://127.0.0.1:${PORT}/`);
        seen.add(res.headers.get('x-served-by') ?? '');
      }
      expect(seen.size).toBe(3);
    });

    it('every container and the network carry the owner, creation time, project and kind labels', () => {
      const labels = JSON.parse(
        docker('inspect', '--format', '{{json .Config.Labels}}', `${project}_app_2`),
      ) as Record<string, string>;
      expect(labels).toMatchObject({
        'dev.shipkit.owner': OWNER,
        'dev.shipkit.project': project,
        'dev.shipkit.kind': 'stack',
      });
      const created = Number(labels['dev.shipkit.created']);
      expect(Math.abs(Date.now() / 1000 - created)).toBeLessThan(600);
      const net = JSON.parse(
        docker('network', 'inspect', '--format', '{{json .Labels}}', `${project}_default`),
      ) as Record<string, string>;
      expect(net).toMatchObject({ 'dev.shipkit.project': project, 'dev.shipkit.created': String(created) });
    });

    it('ps lists every container with its state', async () => {
      const r = await runStack({ ...common, command: 'ps' });
      expect(r.code).toBe(0);
      expect(r.text).toMatch(new RegExp(`info: ${project}_app_3\\s+app\\s+healthy`));
      expect(r.text).toMatch(new RegExp(`info: ${project}_lb_1\\s+lb\\s+healthy`));
      expect(JSON.parse(r.platform.outputs.get('services') ?? '{}')).toMatchObject({
        app: { state: 'app: 3 healthy' },
        lb: { state: 'lb: 1 healthy' },
      });
    });

    it('logs prints each container log and saves them', async () => {
      const r = await runStack({ ...common, command: 'logs', 'log-lines': 5 });
      expect(r.code).toBe(0);
      expect(r.text).toContain(`group: ${project}_app_1 (last 5 lines)`);
      expect(r.platform.outputs.get('logs-dir')).toBe(logsDir);
    });

    it('down removes containers, networks and volumes and keeps the logs', async () => {
      const r = await runStack({ ...common, command: 'down' });
      expect(r.code, r.text).toBe(0);
      expect(leftovers(project)).toEqual(NONE);
      expect(existsSync(join(logsDir, `${project}_lb_1.log`))).toBe(true);
    });
  },
);
