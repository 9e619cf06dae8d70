import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getText, onNode, rigConfig, rigMissing, rigSettled } from '../helpers/swarm-rig.js';
import { runStack } from './helpers.js';

const rig = rigConfig();
const missing = rigMissing(rig);
const WEB = join(import.meta.dirname, '..', '..', 'examples', 'lb-stack');
const stacks: string[] = [];
const logs = mkdtempSync(join(tmpdir(), 'skswarm-logs-'));

function stackFor(what: string): string {
  const name = `skstack-sw-${what}-${Date.now().toString(36)}`;
  stacks.push(name);
  return name;
}

/** Polls `check` every 0.5 s until it holds; throws naming `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      /* the node is between roles: ask again */
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Services, networks, configs and secrets of a stack still on the manager. */
function leftovers(stack: string): string[] {
  const f = ['--filter', `label=com.docker.stack.namespace=${stack}`];
  return (['service', 'network', 'config', 'secret'] as const).flatMap((k) =>
    onNode(rig, [k, 'ls', '-q', ...f])
      .split('\n')
      .filter(Boolean)
      .map((id) => `${k} ${id}`),
  );
}

async function swarmStack(values: Record<string, string | number | boolean | undefined>) {
  return runStack({
    engine: 'swarm',
    'working-directory': WEB,
    'compose-file': 'compose.swarm.yml',
    ...values,
  });
}

describe.skipIf(missing)(`stack on a three-node swarm ${missing ?? ''}`, () => {
  const saved = process.env.DOCKER_HOST;
  beforeAll(() => {
    process.env.DOCKER_HOST = rig.manager;
  });
  afterAll(() => {
    for (const s of stacks) {
      try {
        onNode(rig, ['stack', 'rm', s]);
      } catch {
        /* gone */
      }
    }
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
    rmSync(logs, { recursive: true, force: true });
  });

  it('deploys, converges on every node, serves through every node, saves logs and leaves nothing on down', async () => {
    const project = stackFor('web');
    const dir = join(logs, project);
    const up = await swarmStack({ command: 'up', project, scale: 'app=3', timeout: '150s', 'logs-dir': dir });
    expect(up.code, up.text).toBe(0);
    // Per-service progress, per node, as tasks come up.
    expect(up.text).toMatch(/app: 3\/3 running \(\S+-node1 1, \S+-node2 1, \S+-node3 1\)/);
    expect(up.text).toMatch(/lb: 3\/3 running/);
    // Exactly the services of the file, each with its tasks.
    const services = JSON.parse(up.platform.outputs.get('services') ?? '{}') as Record<
      string,
      { containers: string[] }
    >;
    expect(Object.keys(services).sort()).toEqual(['app', 'lb']);
    expect(services.app.containers).toHaveLength(3);
    // Every node's LB reaches every replica, wherever it runs (overlay + Swarm DNS).
    for (const n of rig.nodes) {
      const seen = new Set<string>();
      for (let i = 0; i < 30 && seen.size < 3; i++) {
        const body = await getText(`http://${n.ip}:18080/`);
        if (body) seen.add((JSON.parse(body) as { hostname: string }).hostname);
      }
      expect(seen.size, `replicas seen through ${n.name}`).toBe(3);
    }
    expect(readdirSync(dir).sort()).toEqual([`${project}_app.log`, `${project}_lb.log`]);
    expect(readFileSync(join(dir, `${project}_app.log`), 'utf8')).toMatch(/listening on 0\.0\.0\.0:3000/);

    const ps = await swarmStack({ command: 'ps', project });
    expect(ps.code, ps.text).toBe(0);
    expect(ps.text).toMatch(new RegExp(`${project}_app\\.\\d+\\s+\\S+-node\\d\\s+running`));

    const down = await swarmStack({ command: 'down', project, 'logs-dir': dir });
    expect(down.code, down.text).toBe(0);
    expect(leftovers(project)).toEqual([]);
  });

  it('fails a crashing service with its task error and last log lines, then removes the stack', async () => {
    const project = stackFor('crash');
    const dir = mkdtempSync(join(tmpdir(), 'skswarm-crash-'));
    writeFileSync(
      join(dir, 'compose.yml'),
      [
        'services:',
        '  bad:',
        '    image: shipkit/base:bookworm',
        '    command: ["sh", "-c", "echo boom-$$HOSTNAME-before-exit; exit 3"]',
        '    deploy: { replicas: 2, restart_policy: { delay: 0s } }',
        '',
      ].join('\n'),
    );
    try {
      const up = await runStack({
        engine: 'swarm',
        command: 'up',
        project,
        'working-directory': dir,
        timeout: '120s',
      });
      expect(up.code, up.text).toBe(1);
      expect(up.text).toMatch(/service bad: \d+ task\(s\) failed, last: task: non-zero exit \(3\)/);
      expect(up.text).toMatch(/boom-[0-9a-f]{12}-before-exit/); // its log, $$ reached the task as one $
      expect(leftovers(project)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a worker node as the engine, naming it (exit 2)', async () => {
    // Every node of the rig manages (the manager-change drills need three): the last one turns worker
    // for this test and manages again after it, also when it fails.
    const worker = rig.nodes.length;
    const host = rig.nodes[worker - 1].dockerHost;
    await rigSettled(rig);
    onNode(rig, ['node', 'demote', rig.nodes[worker - 1].name]);
    try {
      await until(
        `${rig.nodes[worker - 1].name} knows it is a worker`,
        () => onNode(rig, ['info', '-f', '{{.Swarm.ControlAvailable}}'], worker).trim() === 'false',
      );
      process.env.DOCKER_HOST = host;
      const r = await swarmStack({ command: 'up', project: stackFor('worker') });
      expect(r.code, r.text).toBe(2);
      expect(r.text).toContain(`DOCKER_HOST=${host} is not a swarm manager`);
    } finally {
      process.env.DOCKER_HOST = rig.manager;
      onNode(rig, ['node', 'promote', rig.nodes[worker - 1].name]);
      await until(
        `${rig.nodes[worker - 1].name} manages again`,
        () => onNode(rig, ['info', '-f', '{{.Swarm.ControlAvailable}}'], worker).trim() === 'true',
      );
      await rigSettled(rig);
    }
  });

  it('gc removes whole shipkit stacks older than the limit, of its prefix only', async () => {
    const project = stackFor('gc');
    const dir = mkdtempSync(join(tmpdir(), 'skswarm-gc-'));
    writeFileSync(
      join(dir, 'compose.yml'),
      'services:\n  idle:\n    image: shipkit/base:bookworm\n    command: ["sleep", "infinity"]\n    init: true\n',
    );
    try {
      const up = await runStack({ engine: 'swarm', command: 'up', project, 'working-directory': dir });
      expect(up.code, up.text).toBe(0);
      const other = await runStack({
        engine: 'swarm',
        command: 'gc',
        prefix: 'nottheprefix',
        'older-than': '0s',
      });
      expect(other.code, other.text).toBe(0);
      expect(leftovers(project).length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1100));
      const gc = await runStack({ engine: 'swarm', command: 'gc', 'older-than': '1s' });
      expect(gc.code, gc.text).toBe(0);
      expect(gc.text).toContain(`removing stack ${project}`);
      expect(leftovers(project)).toEqual([]);
      expect(existsSync(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
