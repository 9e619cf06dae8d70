/**
 * The load balancer on Docker Swarm: HAProxy or nginx as a global service, one task per node. Each
 * task routes on its own (HAProxy: an in-memory map; nginx: route links in its /tmp, see
 * swarm/nginx.ts); shipkit switches a task through its node's token-checked control port and reads
 * back, from that same task, what it routes (swarm/nodes.ts, the part that differs per LB).
 * A switch counts only when every active node's task answered with the new routing; otherwise every
 * node is put back and the switch fails naming the node. The LB service's routes label records the
 * routing of the last complete switch: new tasks start with it, and every command first repairs any
 * task that differs from it (a node that missed a switch while it was away).
 */
import { crypto } from '../../core/builtins.js';
import { StepFailure } from '../../core/errors.js';
import { DockerApiError } from '../../docker/api.js';
import type { Replica } from '../engine.js';
import type { LoadBalancer, ReplicaProbe } from '../lb.js';
import { httpGet } from '../probe.js';
import { withHeartbeat } from '../journal.js';
import type { Progress } from '../engine.js';
import { liveAnswer, nodeLb, type NodeLb, type NodeRoutes } from './nodes.js';
import type { AppSettings, Routes } from '../plan.js';
import type { Colour } from '../state.js';
import { apiFor, findService, serviceLogs, swarmEngine } from './engine.js';
import {
  lbConfigName,
  lbService,
  lbServiceSpec,
  parseRoutes,
  routesLabel,
  swarmNodes,
  SWARM_LABEL,
  tokenOf,
  type ApiNode,
  type SwarmNode,
} from './plan.js';

const SPEC_LABEL = 'io.shipkit.bluegreen.lb-spec';
const DOWN =
  'the node is down in the swarm: drain it (docker node update --availability drain <node>) or remove it, then run the command again';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const same = (a: Routes, b: Routes) => a.live === b.live && a.preview === b.preview;
const show = (r: Routes) => `live=${r.live ?? 'none'} preview=${r.preview ?? 'none'}`;

interface ApiService {
  ID: string;
  Version: { Index: number };
  Spec: {
    Labels?: Record<string, string>;
    TaskTemplate?: { ContainerSpec?: { Configs?: { ConfigID: string; ConfigName: string }[] } };
  } & Record<string, unknown>;
}

export class SwarmLb implements LoadBalancer {
  private token?: string;
  private readonly nodeLb: NodeLb;
  constructor(
    private readonly s: AppSettings,
    private readonly warn: (line: string) => void = () => {},
    private readonly progress?: Progress,
  ) {
    this.nodeLb = nodeLb(s, () => this.token ?? '');
  }

  private get sw() {
    if (!this.s.swarm) throw new Error('swarm settings missing');
    return this.s.swarm;
  }

  private nodesSeen?: { at: number; nodes: SwarmNode[] };

  /**
   * Nodes that run an LB task, down or not (every node not drained). Listed at most once a second:
   * one command asks several times within its switch, and a node that changes meanwhile fails the
   * switch on its own answer anyway.
   */
  async activeNodes(): Promise<SwarmNode[]> {
    const seen = this.nodesSeen;
    const nodes =
      seen && Date.now() - seen.at < 1000
        ? seen.nodes
        : swarmNodes(await apiFor(this.s).get<ApiNode[]>('/nodes'));
    this.nodesSeen = { at: seen && seen.nodes === nodes ? seen.at : Date.now(), nodes };
    const active = nodes.filter((n) => n.active && n.addr);
    if (!active.length) throw new StepFailure('the swarm has no active node to run the load balancer on');
    return active;
  }

  /** Asks (and with `set`, first changes) the routing of the LB task on one node. */
  private control(n: SwarmNode, set?: Routes, timeoutMs = 2000): Promise<NodeRoutes> {
    return this.nodeLb.control(n, set, timeoutMs);
  }

  /** Switches one node and checks, from the node itself, that it routes `to` now. */
  private async switchNode(n: SwarmNode, to: Routes, timeoutMs: number): Promise<void> {
    if (!n.ready) throw new Error(DOWN);
    const got = await this.control(n, to, timeoutMs);
    if (got.node !== n.name) throw new Error(`answered as node ${got.node || '?'}`);
    if (!same(got, to))
      throw new Error(
        `still routes ${show(got)} (a node whose clock runs 2 s or more ahead of this one ignores switches)`,
      );
    if (this.sw.publishMode === 'host') {
      // What a client of this node's live port gets (with the routing mesh any node may answer it).
      const live = await httpGet(`http://${n.addr}:${this.s.port}/__shipkit/lb`, {}, timeoutMs);
      if (liveAnswer(live.body) !== to.live) throw new Error(`live port says ${live.body.trim()}`);
    }
  }

  private async service(): Promise<ApiService | undefined> {
    return await findService(this.s, lbService(this.s));
  }

  /** The routing of the last complete switch (the LB service's label). */
  private recorded(svc: ApiService): Routes {
    return parseRoutes(svc.Spec.Labels?.[SWARM_LABEL.routes] ?? '');
  }

  private async tokenOf(svc: ApiService): Promise<string | undefined> {
    const id = svc.Spec.TaskTemplate?.ContainerSpec?.Configs?.[0]?.ConfigID;
    if (!id) return undefined;
    const cfg = await apiFor(this.s).find<{ Spec: { Data?: string } }>(`/configs/${id}`);
    return cfg ? tokenOf(Buffer.from(cfg.Spec.Data ?? '', 'base64').toString('utf8')) : undefined;
  }

  /** Creates the config (or finds the one of that name) and returns its id. */
  private async config(text: string): Promise<{ id: string; name: string }> {
    const api = apiFor(this.s);
    const name = lbConfigName(this.s, text);
    const made = await api
      .post<{ ID: string }>('/configs/create', {
        Name: name,
        Labels: { 'io.shipkit.bluegreen.app': this.s.name, 'io.shipkit.bluegreen.role': 'lb' },
        Data: Buffer.from(text).toString('base64'),
      })
      .catch(async (err: unknown) => {
        if (!(err instanceof DockerApiError && err.status === 409)) throw err;
        return { ID: (await api.get<{ ID: string }>(`/configs/${name}`)).ID };
      });
    return { id: made.ID, name };
  }

  async ensure(routes: Routes): Promise<void> {
    const api = apiFor(this.s);
    let svc = await this.service();
    this.token = (svc && (await this.tokenOf(svc))) ?? crypto().randomBytes(16).toString('hex');
    const conf = this.nodeLb.conf(this.token);
    const keep = svc ? this.recorded(svc) : routes;
    // The running service names its config: no create (a Raft write) when it is the one wanted.
    const mounted = svc?.Spec.TaskTemplate?.ContainerSpec?.Configs?.[0];
    const cfg =
      mounted?.ConfigName === lbConfigName(this.s, conf)
        ? { id: mounted.ConfigID, name: mounted.ConfigName }
        : await this.config(conf);
    const task = this.nodeLb.task();
    const spec = lbServiceSpec(this.s, cfg, keep, task);
    // The routes label changes at every switch and restarts nothing: it is not part of the fingerprint.
    const hash = crypto()
      .createHash('sha256')
      .update(JSON.stringify(lbServiceSpec(this.s, cfg, { live: null, preview: null }, task)))
      .digest('hex')
      .slice(0, 16);
    (spec.Labels as Record<string, string>)[SPEC_LABEL] = hash;
    if (!svc || svc.Spec.Labels?.[SPEC_LABEL] !== hash) {
      await swarmEngine.ensureNetwork(this.s);
      if (!svc) await api.post('/services/create', spec);
      else {
        this.warn(`the load balancer's service spec changed: Swarm replaces its tasks (one node at a time)`);
        await api.post(`/services/${svc.ID}/update?version=${svc.Version.Index}`, spec);
      }
      await this.waitTasks(keep, 90_000);
      svc = await this.service();
    }
    await this.repair(svc ? this.recorded(svc) : keep);
  }

  /** Waits until every active node's LB task answers on its control port. */
  private async waitTasks(routes: Routes, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let missing: string[] = [];
    while (Date.now() < deadline) {
      const nodes = (await this.activeNodes()).filter((n) => n.ready);
      const answers = await Promise.all(
        nodes.map((n) => this.control(n, undefined, 1500).catch(() => undefined)),
      );
      missing = nodes
        .filter((n, i) => answers[i]?.node !== n.name || !same(answers[i], routes))
        .map((n) => n.name);
      if (!missing.length) return;
      await sleep(500);
    }
    throw new StepFailure(
      `the load balancer did not start on node ${missing.join(', ')} within ${Math.round(timeoutMs / 1000)}s`,
    );
  }

  /** Puts every task that routes differently from the last complete switch back on it. */
  private async repair(want: Routes): Promise<void> {
    const nodes = await this.activeNodes();
    await Promise.all(
      nodes.map(async (n) => {
        if (!n.ready)
          return this.warn(
            `node ${n.name} is down in the swarm: switches fail until it is back, drained or removed`,
          );
        const got = await this.control(n).catch((err: unknown) => {
          this.warn(
            `node ${n.name} (${n.addr}): the load balancer does not answer: ${(err as Error).message}`,
          );
          return undefined;
        });
        if (!got || same(got, want)) return;
        this.warn(
          `node ${n.name} routed ${show(got)}, not ${show(want)} as the last switch left it: put it back`,
        );
        await this.switchNode(n, want, 3000).catch((err: unknown) =>
          this.warn(`node ${n.name}: could not put it back: ${(err as Error).message}`),
        );
      }),
    );
  }

  async route(routes: Routes): Promise<void> {
    const svc = await this.service();
    if (!svc) throw new StepFailure(`the load balancer service ${lbService(this.s)} does not exist`);
    const before = this.recorded(svc);
    const nodes = await this.activeNodes();
    const tried = await Promise.allSettled(nodes.map((n) => this.switchNode(n, routes, 1500)));
    const failed = nodes
      .map((n, i) => ({ n, r: tried[i] }))
      .filter((x) => x.r.status === 'rejected')
      .map((x) => `${x.n.name} (${x.n.addr}): ${((x.r as PromiseRejectedResult).reason as Error).message}`);
    if (failed.length) {
      // All or nothing: every node back on the routing before, the unreachable ones too (a request
      // that reaches them late carries an `until` in the past and changes nothing).
      const back = await Promise.allSettled(nodes.map((n) => this.switchNode(n, before, 2000)));
      const stuck = nodes.filter((_, i) => back[i].status === 'rejected').map((n) => n.name);
      throw new StepFailure(
        `the load balancer on node ${failed.join('; ')} could not be switched to ${show(routes)}: ` +
          `every node was put back on ${show(before)}` +
          (stuck.length
            ? ` except ${stuck.join(', ')}, which did not answer (the next command repairs it)`
            : '') +
          '; nothing switched',
      );
    }
    try {
      await this.record(routes);
    } catch (err: unknown) {
      // Unrecorded, the switch would be undone by the next command's repair: undo it now instead.
      await Promise.allSettled(nodes.map((n) => this.switchNode(n, before, 2000)));
      throw new StepFailure(
        `the managers did not record the switch (${(err as Error).message}): every node was put back on ${show(before)}; nothing switched`,
      );
    }
  }

  /** Records the routing on the LB service (new tasks start with it); retries a concurrent update. */
  private async record(routes: Routes): Promise<void> {
    for (let i = 0; ; i++) {
      const svc = await this.service();
      if (!svc) return;
      if (svc.Spec.Labels?.[SWARM_LABEL.routes] === routesLabel(routes)) return;
      const spec = { ...svc.Spec, Labels: { ...svc.Spec.Labels, [SWARM_LABEL.routes]: routesLabel(routes) } };
      try {
        await apiFor(this.s).post(`/services/${svc.ID}/update?version=${svc.Version.Index}`, spec);
        return;
      } catch (err: unknown) {
        if (i >= 3) throw err;
      }
    }
  }

  async current(): Promise<Routes> {
    if (!this.token) {
      const svc = await this.service();
      this.token = svc && (await this.tokenOf(svc));
    }
    const nodes = (await this.activeNodes()).filter((n) => n.ready);
    const answers = await Promise.all(nodes.map((n) => this.control(n).catch(() => undefined)));
    const got = answers.filter((a): a is NodeRoutes => !!a);
    if (!got.length) throw new StepFailure('no node of the swarm answers for the load balancer');
    if (got.some((a) => !same(a, got[0]))) {
      throw new StepFailure(
        `the nodes' load balancers disagree: ${got.map((a) => `${a.node} ${show(a)}`).join('; ')}`,
      );
    }
    return { live: got[0].live, preview: got[0].preview };
  }

  async problems(): Promise<string[]> {
    const svc = await this.service();
    if (!svc) return [];
    this.token ??= await this.tokenOf(svc);
    const want = this.recorded(svc);
    const nodes = await this.activeNodes();
    const said = await Promise.all(
      nodes.map(async (n) => {
        if (!n.ready) return `node ${n.name} (${n.addr}) is down in the swarm: ${DOWN}`;
        const got = await this.control(n).catch((err: unknown) => err as Error);
        if (got instanceof Error)
          return `node ${n.name} (${n.addr}): the load balancer does not answer (${got.message})`;
        return same(got, want)
          ? ''
          : `node ${n.name} routes ${show(got)}, not ${show(want)} (the next command puts it back)`;
      }),
    );
    return said.filter(Boolean);
  }

  /**
   * Each node's task finds the replicas in Swarm DNS (`tasks.<service>`), which every node keeps on its
   * own: after a node was away a while, its view (or the others' view of its tasks) can lag for tens of
   * seconds. The caller bounds the wait; a heartbeat says every 10 s which node still lags.
   */
  async waitServing(colour: Colour, timeoutMs: number, known?: Replica[]): Promise<void> {
    let lag: string[] = [];
    const what = () =>
      `every node's load balancer to find the replicas of ${colour} in Swarm DNS${lag.length ? `: ${lag.join('; ')}` : ''}`;
    await withHeartbeat(what, this.progress, async () => {
      const deadline = Date.now() + timeoutMs;
      const silentSince = new Map<string, number>();
      for (;;) {
        const want = (known ?? (await swarmEngine.servingReplicas(this.s, colour))).map((r) => r.ip).sort();
        const nodes = await this.activeNodes();
        const down = nodes.find((n) => !n.ready);
        if (down) throw new StepFailure(`node ${down.name} (${down.addr}): ${DOWN}; nothing switched`);
        const seen = await Promise.all(
          nodes.map((n) =>
            this.nodeLb.serving(n, colour, want.length).then(
              (up) => (silentSince.delete(n.name), up),
              (err: unknown) => {
                if (!silentSince.has(n.name)) silentSince.set(n.name, Date.now());
                if (Date.now() - silentSince.get(n.name)! > 4000)
                  throw new StepFailure(
                    `node ${n.name} (${n.addr}): the load balancer does not answer (${(err as Error).message}); nothing switched`,
                  );
                return [] as string[];
              },
            ),
          ),
        );
        lag = nodes
          .map((n, i) =>
            seen[i].join() === want.join() ? '' : `${n.name} has ${seen[i].length} of ${want.length} up`,
          )
          .filter(Boolean);
        if (want.length >= this.s.replicas && !lag.length) return;
        if (Date.now() > deadline) break;
        await sleep(250);
      }
      throw new StepFailure(
        `the load balancers did not take up every replica of ${colour} within ${Math.round(timeoutMs / 1000)}s: ${lag.join('; ')}`,
      );
    });
  }

  async probes(colour: Colour, replicas: readonly Replica[]): Promise<ReplicaProbe[]> {
    // Readiness goes through the preview port at the public host: that node's task names the replicas.
    const nodes = await this.activeNodes();
    const self = nodes.find((n) => n.addr === this.sw.publicHost) ?? nodes[0];
    return this.nodeLb.probes(self, colour, replicas);
  }

  logs(tail: number): Promise<string> {
    return serviceLogs(this.s, lbService(this.s), tail);
  }
}

export function swarmLoadBalancer(
  s: AppSettings,
  warn?: (line: string) => void,
  progress?: Progress,
): SwarmLb {
  return new SwarmLb(s, warn, progress);
}
