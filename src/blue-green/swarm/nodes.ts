/**
 * How shipkit talks to the LB task on one node, the one part of the Swarm LB that differs between
 * HAProxy and nginx: the config and task, asking and switching a node's routing, which replicas a
 * node sends to, and how a readiness probe names a replica. Everything else (all-or-nothing switches,
 * the recorded routing, repair) is swarm/lb.ts, shared.
 */
import type { Replica } from '../engine.js';
import type { ReplicaProbe } from '../lb.js';
import { httpGet } from '../probe.js';
import type { AppSettings, Routes } from '../plan.js';
import type { Colour } from '../state.js';
import { nginxTask, probePath, swarmNginxConf, upPath } from './nginx.js';
import {
  haproxyTask,
  parseRoutes,
  slotAt,
  swarmHaproxyConf,
  upAddresses,
  type LbTask,
  type SwarmNode,
} from './plan.js';

/** One node's answer: what its LB task routes, and the node it says it runs on. */
export interface NodeRoutes extends Routes {
  node: string;
}

export interface NodeLb {
  task(): LbTask;
  /** The config every task runs, holding the control token. */
  conf(token: string): string;
  /** Asks (and with `set`, first changes) what the task on `n` routes. */
  control(n: SwarmNode, set: Routes | undefined, timeoutMs: number): Promise<NodeRoutes>;
  /** The addresses the task on `n` sends `colour`'s traffic to now (sorted; anything else is a lag). */
  serving(n: SwarmNode, colour: Colour, want: number): Promise<string[]>;
  /** How to reach each replica by name through the preview port of `self` (the public host's node). */
  probes(self: SwarmNode, colour: Colour, replicas: readonly Replica[]): Promise<ReplicaProbe[]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = () => Math.floor(Date.now() / 1000) + 2;
const query = (r: Routes) => `?live=${r.live ?? 'none'}&preview=${r.preview ?? 'none'}&until=${until()}`;

/** The routes a node's live port says it serves (HAProxy: `live=<c>`; nginx's colour server: `colour=<c>`). */
export const liveAnswer = (body: string): Colour | null =>
  parseRoutes(body.replace(/(?:^|\s)colour=/, ' live=')).live;

/** A node's control port, asked with the token. */
abstract class ControlPort {
  constructor(
    protected readonly s: AppSettings,
    protected readonly token: () => string,
  ) {}
  protected url(n: SwarmNode, path: string): string {
    return `http://${n.addr}:${this.s.swarm!.controlPort}${path}`;
  }
  protected get auth(): Record<string, string> {
    return { 'x-shipkit-token': this.token() };
  }
}

/** HAProxy: `set-map` on the control frontend, which answers synchronously; stats for what is up. */
export class HaproxyNodes extends ControlPort implements NodeLb {
  task = haproxyTask;
  conf(token: string) {
    return swarmHaproxyConf(this.s, token);
  }
  async control(n: SwarmNode, set: Routes | undefined, timeoutMs: number): Promise<NodeRoutes> {
    const a = await httpGet(this.url(n, `/__shipkit/route${set ? query(set) : ''}`), this.auth, timeoutMs);
    if (a.status !== 200) throw new Error(`control port answered HTTP ${a.status}`);
    return { ...parseRoutes(a.body), node: /node=(\S+)/.exec(a.body)?.[1] ?? '' };
  }
  private async stats(n: SwarmNode): Promise<string> {
    return (await httpGet(this.url(n, '/__shipkit/stats;csv'), this.auth, 3000)).body;
  }
  async serving(n: SwarmNode, colour: Colour): Promise<string[]> {
    return upAddresses(await this.stats(n), colour);
  }
  async probes(self: SwarmNode, colour: Colour, replicas: readonly Replica[]): Promise<ReplicaProbe[]> {
    const csv = await this.stats(self).catch(() => '');
    return replicas.map((r) => {
      const slot = slotAt(csv, colour, r.ip);
      return {
        path: this.s.healthPath,
        headers: { 'x-shipkit-probe': slot ?? 'none' },
        answeredBy: (h) => String(h['x-shipkit-server'] ?? ''),
        expect: slot ?? `a server up at ${r.ip}`,
        logNames: [`${r.ip}:`],
      };
    });
  }
}

/**
 * nginx: a switch request is queued for the task's route agent (HTTP 202), and the task is then
 * asked, through its route links themselves, until it routes the new colours or the time is up.
 */
export class NginxNodes extends ControlPort implements NodeLb {
  task = nginxTask;
  conf(token: string) {
    return swarmNginxConf(this.s, token);
  }
  private async ask(n: SwarmNode, timeoutMs: number): Promise<NodeRoutes> {
    const [live, preview] = await Promise.all(
      (['live', 'preview'] as const).map((l) =>
        httpGet(this.url(n, `/__shipkit/route/${l}`), this.auth, timeoutMs),
      ),
    );
    for (const a of [live, preview])
      if (a.status !== 200) throw new Error(`control port answered HTTP ${a.status}`);
    return {
      live: liveAnswer(live.body),
      preview: liveAnswer(preview.body),
      node: String(live.headers['x-shipkit-node'] ?? ''),
    };
  }
  async control(n: SwarmNode, set: Routes | undefined, timeoutMs: number): Promise<NodeRoutes> {
    const deadline = Date.now() + timeoutMs;
    if (!set) return this.ask(n, timeoutMs);
    const a = await httpGet(this.url(n, `/__shipkit/route${query(set)}`), this.auth, timeoutMs);
    if (a.status !== 202) throw new Error(`control port answered HTTP ${a.status}`);
    for (;;) {
      const got = await this.ask(n, Math.max(200, deadline - Date.now()));
      if ((got.live === set.live && got.preview === set.preview) || Date.now() >= deadline) return got;
      await sleep(20);
    }
  }
  /**
   * The replicas this node's colour server reaches: the health path asked through it (DNS picks a
   * replica at random for each request) three times per wanted replica; an answer that is not 2xx
   * is listed as such, so it never matches.
   */
  async serving(n: SwarmNode, colour: Colour, want: number): Promise<string[]> {
    const asks = Array.from({ length: 3 * Math.max(1, want) }, () =>
      httpGet(this.url(n, upPath(colour, this.s.healthPath)), this.auth, 3000),
    );
    const seen = new Set<string>();
    for (const a of await Promise.all(asks)) {
      // After a retry nginx lists every address it tried: the last one answered.
      const addr =
        String(a.headers['x-shipkit-upstream'] ?? '')
          .split(', ')
          .at(-1) ?? '';
      seen.add(a.status >= 200 && a.status < 300 ? addr.replace(/:\d+$/, '') : `HTTP ${a.status}`);
    }
    return [...seen].sort();
  }
  probes(_self: SwarmNode, _colour: Colour, replicas: readonly Replica[]): Promise<ReplicaProbe[]> {
    return Promise.resolve(
      replicas.map((r) => {
        const addr = `${r.ip}:${this.s.appPort}`;
        return {
          path: probePath(this.s.healthPath),
          headers: { 'x-shipkit-probe': addr, 'x-shipkit-token': this.token() },
          answeredBy: (h) => String(h['x-shipkit-upstream'] ?? ''),
          expect: addr,
          logNames: [addr],
        };
      }),
    );
  }
}

/** The node protocol of `s.lb`. */
export function nodeLb(s: AppSettings, token: () => string): NodeLb {
  return s.lb === 'nginx' ? new NginxNodes(s, token) : new HaproxyNodes(s, token);
}
