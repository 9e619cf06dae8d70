import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { connect } from 'node:net';
import { InputReader, inputsFrom } from '../../core/inputs.js';
import { MemoryPlatform } from '../../platform/memory.js';
import { getInputs, runBlueGreen } from '../step.js';
import { httpGet } from '../probe.js';
import { runSmoke } from '../../smoke/index.js';
import { buildImages, bundleCli, failure, killAt, testApp } from '../../../test/blue-green/helpers.js';
import {
  networksGone,
  rigConfig,
  rigMissing,
  rigUp,
  startNode,
  stopNode,
} from '../../../test/helpers/swarm-rig.js';
import { DockerApi, dockerEndpoint, filters } from '../../docker/api.js';
import { swarmStore } from './store.js';
import { tokenOf } from './plan.js';
import type { Deps } from '../context.js';

const rig = rigConfig();
const skip =
  rigMissing(rig) ?? (rig.managers < 3 ? 'needs a rig of three managers (SWARM_RIG_MANAGERS=3)' : undefined);
const node = (i: number) => rig.nodes[i - 1];
const api = (i: number) => new DockerApi(dockerEndpoint(node(i).dockerHost));
/** `docker pause`/`unpause` of a node's container, on the host engine: a node that stops answering. */
const freeze = (action: 'pause' | 'unpause', i: number) =>
  execFileSync('docker', [action, node(i).name], {
    env: { ...process.env, DOCKER_HOST: '' },
    stdio: 'ignore',
  });

interface NodeInfo {
  Status: { State: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string };
}

/**
 * Waits until node `via` answers and sees every node ready, a leader, and every manager reachable (an
 * election over, a node back). Reads are not retried here: this loop is the retry.
 */
async function settled(via: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const nodes = await api(via).get<NodeInfo[]>('/nodes', 3000, 0);
      const managers = nodes.filter((n) => n.ManagerStatus);
      if (
        nodes.length === rig.nodes.length &&
        nodes.every((n) => n.Status.State === 'ready') &&
        managers.some((n) => n.ManagerStatus?.Leader) &&
        managers.every((n) => n.ManagerStatus?.Reachability === 'reachable')
      )
        return;
      last = nodes.map((n) => `${n.Status.State}/${n.ManagerStatus?.Reachability ?? 'worker'}`).join(',');
    } catch (err: unknown) {
      last = (err as Error).message;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`the swarm did not settle in ${timeoutMs} ms: ${last}`);
}

interface ServiceInfo {
  ID: string;
  Spec: { Name: string; Mode: { Replicated?: { Replicas: number }; Global?: object } };
}

/** True when a TCP connection to ip:port opens within 1.5 s (an LB task listens there). */
function listens(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: ip, port, timeout: 1500 });
    sock.on('connect', () => (sock.destroy(), resolve(true)));
    sock.on('timeout', () => (sock.destroy(), resolve(false)));
    sock.on('error', () => resolve(false));
  });
}

/** Whether every node's LB listens on the live port. */
const everyLbListens = async (port: number) =>
  !(await Promise.all([1, 2, 3].map((i) => listens(node(i).ip, port)))).includes(false);

/**
 * What is not converged yet, or '' when: every service of the app runs as many tasks as it wants, all
 * running (a lost task replaced, the global LB back on a node that returned), every node's LB listens
 * on the live port, and every manager lists the same state records (a node that rejoined caught up).
 */
async function unconverged(NAME: string, PORT: number): Promise<string> {
  const services = await api(1).get<ServiceInfo[]>(
    `/services?${filters({ label: [`io.shipkit.bluegreen.app=${NAME}`] })}`,
    3000,
    0,
  );
  const lag: string[] = [];
  for (const svc of services) {
    const tasks = await api(1).get<{ Status: { State: string } }[]>(
      `/tasks?${filters({ service: [svc.ID], 'desired-state': ['running'] })}`,
      3000,
      0,
    );
    const want = svc.Spec.Mode.Replicated?.Replicas ?? rig.nodes.length;
    const running = tasks.filter((t) => t.Status.State === 'running').length;
    if (running !== want || tasks.length !== want)
      lag.push(`${svc.Spec.Name} ${running}/${want} running (${tasks.map((t) => t.Status.State).join(',')})`);
  }
  if (services.some((s) => s.Spec.Name === `${NAME}-lb`)) {
    const up = await Promise.all([1, 2, 3].map((i) => listens(node(i).ip, PORT)));
    up.forEach((ok, i) => ok || lag.push(`LB on ${node(i + 1).name} not listening`));
  }
  const views = await Promise.all(
    [1, 2, 3].map(async (i) =>
      (
        await api(i).get<{ ID: string }[]>(
          `/configs?${filters({ label: [`io.shipkit.bluegreen.state-of=${NAME}`] })}`,
          3000,
          0,
        )
      )
        .map((c) => c.ID)
        .sort()
        .join(),
    ),
  );
  if (new Set(views).size > 1) lag.push(`managers list different state records: ${views.join(' | ')}`);
  lag.push(...(await networkViews(NAME, services)));
  return lag.join('; ');
}

interface NetworkView {
  Peers?: { IP: string }[];
  Services?: Record<string, { Tasks?: { EndpointIP: string }[] }>;
}

/**
 * Each node's own view of the app network (its gossip peers and the tasks it knows, which is what its
 * DNS answers for `tasks.<service>`): after a node was frozen the others drop it and its tasks, and a
 * node can take 20 s or more after the unfreeze to list them again. Until then its LB routes to fewer
 * replicas, and the next drill's smoke test would see fewer backends than there are.
 */
async function networkViews(NAME: string, services: ServiceInfo[]): Promise<string[]> {
  const running = new Map<string, number>();
  for (const svc of services) {
    const tasks = await api(1).get<unknown[]>(
      `/tasks?${filters({ service: [svc.ID], 'desired-state': ['running'] })}`,
      3000,
      0,
    );
    running.set(svc.Spec.Name, tasks.length);
  }
  const lag: string[] = [];
  for (const i of [1, 2, 3]) {
    const view = await api(i)
      .get<NetworkView>(`/networks/${NAME}-net?verbose=true`, 3000, 0)
      .catch(() => undefined);
    if (!view) continue; // no app network yet (or gone): nothing to lag behind
    const peers = view.Peers?.length ?? 0;
    if (peers !== rig.nodes.length) lag.push(`${node(i).name} sees ${peers} of ${rig.nodes.length} peers`);
    for (const [name, want] of running) {
      const known = view.Services?.[name]?.Tasks?.length ?? 0;
      if (known !== want) lag.push(`${node(i).name} knows ${known} of ${want} tasks of ${name}`);
    }
  }
  return lag;
}

/**
 * Waits (bounded) until the swarm has healed what the last test did to it, three checks in a row a
 * second apart (a frozen node's peers may drop it a moment after it answers again); says what still lags.
 */
async function converged(NAME: string, PORT: number, timeoutMs = 180_000): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last = '';
  let lagged = '';
  for (let clean = 0; ;) {
    last = await unconverged(NAME, PORT).catch((err: Error) => err.message);
    lagged ||= last;
    clean = last ? 0 : clean + 1;
    if (clean === 3) {
      const s = (Date.now() - started) / 1000;
      if (lagged) console.log(`[swarm] converged after ${s.toFixed(1)} s; first seen lagging: ${lagged}`);
      return;
    }
    if (Date.now() > deadline) break;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`the swarm did not converge in ${timeoutMs / 1000} s: ${last}`);
}

/**
 * A test that failed half-way leaves no frozen or stopped node, no unsettled swarm, no colour or LB
 * short of tasks and no held lock to the next.
 */
async function repairRig(NAME: string, PORT: number): Promise<void> {
  for (let i = 1; i <= rig.nodes.length; i++) {
    const state = execFileSync('docker', ['container', 'inspect', '-f', '{{.State.Status}}', node(i).name], {
      env: { ...process.env, DOCKER_HOST: '' },
      encoding: 'utf8',
    }).trim();
    if (state === 'paused') freeze('unpause', i);
    else if (state !== 'running') startNode(rig, i);
  }
  await settled(1);
  await converged(NAME, PORT);
  await api(1).delete(`/configs/${NAME}-bg-lock`);
}

/** A node other than `not` that does not lead the managers (freezing the leader stalls every manager for an election). */
async function follower(not: number): Promise<number> {
  const nodes =
    await api(not).get<{ Status: { Addr: string }; ManagerStatus?: { Leader?: boolean } }[]>('/nodes');
  const leaderIp = nodes.find((n) => n.ManagerStatus?.Leader)?.Status.Addr;
  return [1, 2, 3].find((i) => i !== not && node(i).ip !== leaderIp)!;
}

/**
 * Steady traffic to every node's live port (`rate` requests a second, half on keep-alive connections,
 * half on a new connection each); `stop()` says how many were sent and every one that failed.
 */
function traffic(port: number, rate = 60) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const failed: string[] = [];
  let sent = 0;
  let pending = 0;
  const timer = setInterval(() => {
    const i = sent % 3;
    const keepAlive = Math.floor(sent / 3) % 2 === 0;
    sent++;
    pending++;
    const fail = (why: string) =>
      failed.push(`${node(i + 1).name} ${keepAlive ? 'keep-alive' : 'new'}: ${why}`);
    const req = get(
      { host: node(i + 1).ip, port, path: '/', agent: keepAlive ? agent : false, timeout: 5000 },
      (res) => {
        res.resume();
        res.on('end', () => {
          pending--;
          if (res.statusCode !== 200) fail(`HTTP ${res.statusCode}`);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => (pending--, fail(e.message)));
  }, 1000 / rate);
  return {
    async stop() {
      clearInterval(timer);
      for (let i = 0; pending > 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
      agent.destroy();
      return { sent, failed };
    },
  };
}

for (const [lb, PORT] of [
  ['haproxy', 28080],
  ['nginx', 28180],
] as const) {
  const NAME = lb === 'haproxy' ? 'skbg-sw' : 'skbg-swn';
  const { dir, values } = testApp(lb, PORT, NAME, {
    engine: 'swarm',
    'publish-mode': 'host',
    'bind-address': '0.0.0.0',
    'health-timeout': '90s',
  });

  /** Runs a command in-process against node `via`, with test hooks at the switch's named points. */
  async function run(
    command: string,
    extra: Record<string, string> = {},
    via = 1,
    hooks?: Deps['hooks'],
    platform = new MemoryPlatform(),
  ) {
    const env = { DOCKER_HOST: node(via).dockerHost };
    const inputs = getInputs(new InputReader(inputsFrom({ ...values, ...extra, command })), env);
    try {
      await runBlueGreen(inputs, platform, runSmoke, hooks);
    } catch (err: unknown) {
      (err as { platform?: MemoryPlatform }).platform = platform;
      throw err;
    }
    return platform;
  }

  /** The colour node i's LB sends live traffic to (the app's X-Colour), or the error. */
  async function colourOn(i: number): Promise<string> {
    const a = await httpGet(`http://${node(i).ip}:${PORT}/`, {}, 3000).catch((e: Error) => e);
    return a instanceof Error ? a.message : String(a.headers['x-colour'] ?? `HTTP ${a.status}`);
  }
  const everyNode = () => Promise.all([1, 2, 3].map(colourOn));
  const liveOf = async (via: number) => {
    const out = await run('status', { format: 'json' }, via);
    return (JSON.parse(out.lines.at(-1)!.message) as { live: string }).live;
  };

  describe.skipIf(skip)(
    `blue-green with ${lb} on a three-node Swarm${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      beforeAll(async () => {
        buildImages(values['lb-image']);
        rigUp(rig, [values['lb-image'], 'skbg-itg-app:1', 'skbg-itg-app:2', 'skbg-itg-app:3']);
        await settled(1);
      }, 300_000);
      beforeEach(() => repairRig(NAME, PORT), 330_000);
      afterAll(async () => {
        try {
          await repairRig(NAME, PORT).catch((err: Error) =>
            console.log(`[swarm] repair before destroy: ${err.message}`),
          );
          await run('destroy', {}, 2);
          // destroy keeps the state (its history); the test leaves nothing.
          const left = await api(2).get<{ ID: string }[]>(
            `/configs?${filters({ label: [`io.shipkit.bluegreen.state-of=${NAME}`] })}`,
          );
          for (const c of left) await api(2).delete(`/configs/${c.ID}`);
          // The next file's stack may get this network's subnet: no node may still hold it.
          await networksGone(rig, [`${NAME}-net`]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }, 400_000);

      it('deploy, promote, deploy, promote, rollback under traffic: no request fails, every node routes the live colour, any manager reads the same state', async () => {
        await run('deploy', { image: 'skbg-itg-app:1' });
        await run('promote');
        expect(await everyNode()).toEqual(['blue', 'blue', 'blue']);
        const load = traffic(PORT);
        await run('deploy', { image: 'skbg-itg-app:2' }, 2);
        const p = await run('promote', {}, 3);
        expect(await everyNode()).toEqual(['green', 'green', 'green']);
        expect(p.outputs.get('switch-ms')).toMatch(/^\d+$/);
        expect(await liveOf(1)).toBe('green');
        await run('rollback', {}, 2);
        expect(await everyNode()).toEqual(['blue', 'blue', 'blue']);
        const { sent, failed } = await load.stop();
        expect(failed).toEqual([]);
        expect(sent).toBeGreaterThan(150);
        const status = await run('status', { format: 'json' }, 3);
        const report = JSON.parse(status.lines.at(-1)!.message) as {
          live: string;
          routes: { live: string };
          rollbackTarget: { version: string };
          problems: string[];
        };
        expect(report).toMatchObject({
          live: 'blue',
          routes: { live: 'blue' },
          rollbackTarget: { version: '2' },
        });
        expect(report.problems).toEqual([]);
      });

      it('a node frozen during a promote: the promote fails naming it, every node stays on the old colour, a later promote succeeds', async () => {
        const frozen = await follower(1);
        let err: Error;
        try {
          // Node `frozen` stops answering after the pending switch is recorded, before any LB is switched.
          const at = async (point: string) => {
            if (point === 'after-switching') freeze('pause', frozen);
          };
          err = await failure(run('promote', {}, 1, { at }));
        } finally {
          freeze('unpause', frozen);
        }
        expect(err.message).toMatch(new RegExp(`node ${node(frozen).name} .*could not be switched`));
        expect(err.message).toMatch(/every node was put back on live=blue/);
        expect(await everyNode()).toEqual(['blue', 'blue', 'blue']);
        expect(await liveOf(2)).toBe('blue');
        await settled(1);
        await run('promote', {}, 2);
        expect(await everyNode()).toEqual(['green', 'green', 'green']);
      });

      // The lock and the state live in Swarm configs whatever the LB: these two drills run once (HAProxy).
      it.runIf(lb === 'haproxy')(
        'two promotes from two managers at once: one fails naming the holder, the other switches',
        async () => {
          await run('rollback', {}, 1);
          expect(await everyNode()).toEqual(['blue', 'blue', 'blue']);
          // While the first promote (through node 1) holds the lock, a second one starts through node 2.
          let second: Error | undefined;
          const at = async (point: string) => {
            if (point === 'after-switching')
              second = await failure(run('promote', { 'lock-timeout': '0' }, 2));
          };
          await run('promote', {}, 1, { at });
          expect(second?.message).toMatch(
            new RegExp(`holds the lock \\(Swarm config ${NAME}-bg-lock\\): promote by \\S+@`),
          );
          expect(await everyNode()).toEqual(['green', 'green', 'green']);
        },
      );

      it.runIf(lb === 'haproxy')(
        'a manager change: the node that ran the last command leaves; state and lock read correctly from another manager',
        async () => {
          await run('deploy', { image: 'skbg-itg-app:3' }, 1);
          // A holder that never lets go, taken through node 1, which then leaves the swarm.
          const s1 = getInputs(new InputReader(inputsFrom({ ...values, command: 'status' })), {
            DOCKER_HOST: node(1).dockerHost,
          }).settings;
          await swarmStore.lock(s1, 'promote', 'holder-on-node1@ci', { timeoutMs: 0 });
          stopNode(rig, 1);
          try {
            const out = await run('status', { format: 'json' }, 2);
            const report = JSON.parse(out.lines.at(-1)!.message) as {
              live: string;
              colours: { blue: { version: string; status: string } };
              problems: string[];
            };
            expect(report.live).toBe('green');
            // The node that left is named (down, or its load balancer silent until Swarm marks it down).
            expect(report.problems.join('\n')).toMatch(
              new RegExp(`node ${node(1).name} .*(down|does not answer)`),
            );
            expect(report.colours.blue).toMatchObject({ version: '3', status: 'ready' });
            const err = await failure(run('promote', { 'lock-timeout': '1s' }, 3));
            expect(err.message).toMatch(/holds the lock .*promote by holder-on-node1@ci/);
          } finally {
            startNode(rig, 1);
            await api(2).delete(`/configs/${NAME}-bg-lock`);
          }
          await settled(2);
          // Node 1's LB task comes back with it (a promote fails at once on a node whose LB stays silent).
          const deadline = Date.now() + 120_000;
          while (!(await everyLbListens(PORT))) {
            if (Date.now() > deadline)
              throw new Error('the LB task on a node did not listen again within 120 s');
            await new Promise((res) => setTimeout(res, 500));
          }
          // The blue task that ran on node 1 died with it: the promote waits while Swarm replaces it.
          const p = await run('promote', {}, 2);
          expect(await everyNode()).toEqual(['blue', 'blue', 'blue']);
          const waited = p
            .text()
            .match(/waiting up to \d+s \(input health-timeout\) while the swarm replaces/);
          console.log(
            `[swarm drill] ${lb} manager change: the promote ${waited ? 'waited for' : 'found'} blue's replacement task`,
          );
        },
        400_000,
      );

      it('a runner killed mid-promote: the next status, from another manager, reverts or finishes the switch on every node', async () => {
        const cli = await bundleCli();
        const args = ['promote', ...Object.entries(values).flatMap(([k, v]) => [`--${k}`, v])];
        const before = process.env.DOCKER_HOST;
        process.env.DOCKER_HOST = node(1).dockerHost; // the killed CLI's manager
        // Whatever colour the tests before left live (a failed one may leave either), the promote goes to the other.
        const from = await liveOf(2);
        const to = from === 'blue' ? 'green' : 'blue';
        try {
          await killAt(cli, args, 'after-switching:60000', /pausing .* at after-switching/);
          const reverted = await run('status', {}, 3);
          expect(reverted.text()).toMatch(
            new RegExp(
              `found a half-done promote to ${to} .*still routes live traffic to ${from}; reverted it`,
            ),
          );
          expect(await everyNode()).toEqual([from, from, from]);
          await killAt(cli, args, 'after-route:60000', /pausing .* at after-route/);
          expect(await everyNode()).toEqual([to, to, to]); // switched, never recorded as done
          const finished = await run('status', {}, 2);
          expect(finished.text()).toMatch(
            new RegExp(
              `found a half-done promote to ${to} .*already routes live traffic to ${to}; finished it`,
            ),
          );
          expect(await liveOf(3)).toBe(to);
        } finally {
          if (before === undefined) delete process.env.DOCKER_HOST;
          else process.env.DOCKER_HOST = before;
          rmSync(cli, { force: true });
        }
      });

      it('a node that missed a switch: status names it, the next command puts it back before anything else', async () => {
        // Alone (-t), the app may not exist yet.
        if (!(await liveOf(1))) await run('deploy', { image: 'skbg-itg-app:1', 'auto-promote': 'true' });
        const svc = await api(1).get<{
          Spec: { TaskTemplate: { ContainerSpec: { Configs: { ConfigID: string }[] } } };
        }>(`/services/${NAME}-lb`);
        const cfg = await api(1).get<{ Spec: { Data: string } }>(
          `/configs/${svc.Spec.TaskTemplate.ContainerSpec.Configs[0].ConfigID}`,
        );
        const token = tokenOf(Buffer.from(cfg.Spec.Data, 'base64').toString('utf8'))!;
        const live = await liveOf(1);
        // Node 2's LB alone routes nothing: as if it had missed the last switch.
        const until = Math.floor(Date.now() / 1000) + 5;
        const set = await httpGet(
          `http://${node(2).ip}:${PORT + 2}/__shipkit/route?live=none&preview=none&until=${until}`,
          { 'x-shipkit-token': token },
          3000,
        );
        expect([200, 202]).toContain(set.status);
        for (let i = 0; i < 50 && (await colourOn(2)) !== 'HTTP 503'; i++)
          await new Promise((r) => setTimeout(r, 100));
        expect(await everyNode()).toEqual([live, 'HTTP 503', live]);
        const status = await run('status', { format: 'json' }, 3);
        const report = JSON.parse(status.lines.at(-1)!.message) as { problems: string[] };
        expect(report.problems.join('\n')).toContain(`node ${node(2).name} routes live=none preview=none`);
        const deploy = await run('deploy', { image: 'skbg-itg-app:2' }, 1);
        expect(deploy.text()).toMatch(
          new RegExp(`node ${node(2).name} routed live=none preview=none, not live=${live} .*put it back`),
        );
        expect(await everyNode()).toEqual([live, live, live]);
      });
    },
  );
}
