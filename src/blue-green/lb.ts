/**
 * The load balancer in front of both colours. nginx: a switch renames a route link (no reload);
 * the upstream include is rewritten atomically, `nginx -t`, `nginx -s reload` when replicas change. HAProxy: `set map` over the admin socket, no reload, with
 * the map and server-state files kept in step on disk.
 */
import { chmod, mkdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { net } from '../core/builtins.js';
import { StepFailure } from '../core/errors.js';
import { ExecError } from '../core/exec.js';
import { ensureNetwork, lbComposeCurrent, lbExec, servingReplicas, startLb, type Replica } from './engine.js';
import {
  generationOf,
  haproxyConf,
  haproxyMap,
  LB_DIR,
  NGINX_FILES,
  NGINX_NONE_SOCKET,
  nginxColoursConf,
  nginxConf,
  nginxRouteLink,
  nginxSocket,
  nginxUpstreams,
  PROBE_PREFIX,
  socketGeneration,
  type AppSettings,
  type Routes,
} from './plan.js';
import { writeAtomic, type Colour } from './state.js';
import { httpGet, type HttpAnswer } from './probe.js';
import { withHeartbeat } from './journal.js';
import type { Progress } from './engine.js';

/** How to reach one replica through the preview route, and how to tell that it answered. */
export interface ReplicaProbe {
  /** Path on the preview listener. */
  path: string;
  headers: Record<string, string>;
  /** Which backend answered, as the LB reports it in the response. */
  answeredBy(headers: HttpAnswer['headers']): string;
  /** What `answeredBy` must give for this replica. */
  expect: string;
  /** How the LB's log names this replica. */
  logNames: string[];
}

export interface LoadBalancer {
  /** Writes the config (keeping the current routing) and starts the LB when it is not running. */
  ensure(routes: Routes): Promise<void>;
  /** Routes the listeners; validates first and keeps the old routing when the LB refuses. */
  route(routes: Routes, known?: Partial<Record<Colour, Replica[]>>): Promise<void>;
  /** What the running LB routes right now (asked from the LB itself, not from our files). */
  current(): Promise<Routes>;
  /** Resolves when every healthy replica of `colour` (and only those) can take traffic from the LB. */
  waitServing(colour: Colour, timeoutMs: number, known?: Replica[]): Promise<void>;
  /** How to reach each of `replicas` by name through the preview route (see `confirmReplicas`). */
  probes(colour: Colour, replicas: readonly Replica[]): Promise<ReplicaProbe[]>;
  /** The LB's last log lines, where they are not the local container's (Swarm: every task's). */
  logs?(tail: number): Promise<string>;
  /** What `status` should report beyond the routing (Swarm: nodes down, silent or off the recorded routing). */
  problems?(): Promise<string[]>;
}

const lbDir = (s: AppSettings) => join(s.stateDir, 'lb');
const parseColour = (v: string | undefined): Colour | null => (v === 'blue' || v === 'green' ? v : null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The host address to reach the LB's published ports from here. */
export function lbHost(s: AppSettings): string {
  if (s.swarm) return s.swarm.publicHost;
  return s.bindAddress === '0.0.0.0' ? '127.0.0.1' : s.bindAddress;
}

async function readOr(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

/** Polls `probe` until it gives a value; says every 10 s what it waits for when `progress` is given. */
function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  progress?: Progress,
): Promise<T> {
  return withHeartbeat(what, progress, async () => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await probe().catch(() => undefined);
      if (got !== undefined) return got;
      if (Date.now() > deadline)
        throw new StepFailure(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}`);
      await sleep(200);
    }
  });
}

/** What both single-host balancers hold: the app's settings and a wait that reports its progress. */
abstract class HostLb {
  constructor(
    protected readonly s: AppSettings,
    private readonly progress?: Progress,
  ) {}
  protected wait<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    return waitFor(what, timeoutMs, probe, this.progress);
  }
}

type Listener = 'live' | 'preview';
const LISTENERS: readonly Listener[] = ['live', 'preview'];
const COLOURS: readonly Colour[] = ['blue', 'green'];

interface NginxPlan {
  files: Record<string, string>;
  /** Each colour's current generation (its socket is `nginxSocket(colour, gen)`). */
  gens: Record<Colour, string>;
}

/**
 * nginx as two masters in the LB container (see `nginxConf`): the front one holds the client
 * connections and is reloaded only when its own config changes (`lb-snippet`); a switch renames a
 * route link and reloads nothing. The colour master is reloaded when a colour's replicas change,
 * and each colour's server then listens on a socket of the new generation, which only the new
 * workers hold: a route link moved there can never reach a worker still running the old upstreams.
 */
class NginxLb extends HostLb implements LoadBalancer {
  private get run() {
    return join(lbDir(this.s), 'run');
  }

  /** What a route link points at now (`undefined` when it does not exist). */
  private linked(listener: Listener): Promise<string | undefined> {
    return readlink(join(this.run, nginxRouteLink(listener))).catch(() => undefined);
  }

  /**
   * Every config file for `routes`: routed colours' replicas listed freshly (never a name resolved
   * once and kept). A colour listens on its generation's socket and on any socket a route link
   * still points at, so that nothing a link reaches is closed before the link moves.
   */
  private async plan(routes: Routes, known: Partial<Record<Colour, Replica[]>> = {}): Promise<NginxPlan> {
    const backends = async (c: Colour) =>
      routes.live === c || routes.preview === c ? (known[c] ?? (await servingReplicas(this.s, c))) : [];
    const [blue, green] = await Promise.all([backends('blue'), backends('green')]);
    const upstreams = nginxUpstreams({ blue, green }, this.s.appPort);
    const gens = {} as Record<Colour, string>;
    const sockets: Record<Colour, string[]> = { blue: [], green: [] };
    for (const c of COLOURS) {
      gens[c] = generationOf(upstreams, c) ?? '';
      sockets[c].push(nginxSocket(c, gens[c]));
    }
    for (const l of LISTENERS) {
      const was = socketGeneration((await this.linked(l)) ?? '');
      if (was && !sockets[was.colour].includes(nginxSocket(was.colour, was.gen)))
        sockets[was.colour].push(nginxSocket(was.colour, was.gen));
    }
    return {
      gens,
      files: {
        [NGINX_FILES.front]: nginxConf(this.s),
        [NGINX_FILES.colours]: nginxColoursConf(sockets),
        [NGINX_FILES.upstreams]: upstreams,
      },
    };
  }

  /** Points a listener's route link at a socket (a new link renamed over the old one). */
  private async link(listener: Listener, target: string): Promise<void> {
    const path = join(this.run, nginxRouteLink(listener));
    if ((await readlink(path).catch(() => undefined)) === target) return;
    const tmp = `${path}.${process.pid}.tmp`;
    await rm(tmp, { force: true });
    await symlink(target, tmp);
    await rename(tmp, path);
  }

  private target(plan: NginxPlan, to: Colour | null): string {
    return to ? nginxSocket(to, plan.gens[to]) : NGINX_NONE_SOCKET;
  }

  async ensure(routes: Routes): Promise<void> {
    // Fast path (no dockerd round trip): config present, same compose file, and the LB answers.
    const conf = await readOr(join(lbDir(this.s), NGINX_FILES.front));
    const composeCurrent = await lbComposeCurrent(this.s);
    const answers = async () => (await this.current().catch(() => undefined)) !== undefined;
    if (conf !== undefined && composeCurrent && (await answers())) return;
    await mkdir(this.run, { recursive: true });
    // nginx's workers (an unprivileged user) must reach the sockets whatever the umask was.
    await chmod(lbDir(this.s), 0o755);
    await chmod(this.run, 0o755);
    await ensureNetwork(this.s);
    // Only missing files are written while the LB runs with this compose file: a changed config is
    // applied by the next route(), which validates it. An LB (re)created here gets them all fresh.
    const plan = await this.plan(routes);
    for (const [f, text] of Object.entries(plan.files)) {
      if (!composeCurrent || (await readOr(join(lbDir(this.s), f))) === undefined)
        await writeAtomic(join(lbDir(this.s), f), text);
    }
    for (const l of LISTENERS)
      if (!composeCurrent || (await this.linked(l)) === undefined)
        await this.link(l, this.target(plan, routes[l]));
    await startLb(this.s);
    await this.wait('nginx to answer', 30_000, async () => ((await answers()) ? true : undefined));
  }

  async route(routes: Routes, known: Partial<Record<Colour, Replica[]>> = {}): Promise<void> {
    const plan = await this.plan(routes, known);
    const next = plan.files;
    const old: Record<string, string | undefined> = {};
    for (const f of Object.keys(next)) old[f] = await readOr(join(lbDir(this.s), f));
    const changed = (f: string) => old[f] !== next[f];
    const masters = [
      ...(changed(NGINX_FILES.colours) || changed(NGINX_FILES.upstreams) ? [NGINX_FILES.colours] : []),
      ...(changed(NGINX_FILES.front) ? [NGINX_FILES.front] : []),
    ];
    if (masters.length) await this.reload(masters, old, next);
    // Each routed colour's server must answer on its generation's socket before a link points there.
    const routed = [...new Set([routes.live, routes.preview])].filter((c): c is Colour => c !== null);
    await Promise.all(routed.map((c) => this.waitGeneration(c, plan.gens[c])));
    for (const l of LISTENERS) await this.link(l, this.target(plan, routes[l]));
    await this.wait(`nginx to route live=${routes.live ?? 'none'}`, 15_000, async () => {
      // Several answers in a row, each on a new connection: after a reload of the front master its
      // old workers may still take a connection for a moment.
      for (let i = 0; i < (masters.includes(NGINX_FILES.front) ? 8 : 1); i++) {
        const now = await this.current();
        if (now.live !== routes.live || now.preview !== routes.preview) return undefined;
      }
      return true;
    });
  }

  /** Writes the files, tests every changed master's config, then reloads them; on a refusal puts the old files back. */
  private async reload(
    masters: readonly string[],
    old: Record<string, string | undefined>,
    next: Record<string, string>,
  ): Promise<void> {
    for (const [f, text] of Object.entries(next))
      if (old[f] !== text) await writeAtomic(join(lbDir(this.s), f), text);
    const confs = masters.map((m) => `${LB_DIR}/${m}`);
    // One exec (each exec is a dockerd round trip): every test before any reload.
    const script = [
      ...confs.map((c) => `nginx -t -q -c ${c}`),
      ...confs.map((c) => `nginx -s reload -c ${c}`),
    ];
    try {
      await lbExec(this.s, ['sh', '-c', script.join(' && ')]);
    } catch (err: unknown) {
      for (const [f, text] of Object.entries(old))
        if (text !== undefined && text !== next[f]) await writeAtomic(join(lbDir(this.s), f), text);
      const why = err instanceof ExecError ? err.result.stderr.trim() : String(err);
      throw new StepFailure(
        `nginx refused the generated config, kept the old one (nothing switched): ${why}`,
      );
    }
  }

  /**
   * Waits until the colour's server answers on the socket of generation `gen`. Only workers
   * started by the reload that created that socket hold it, so one answer is proof: no old
   * worker can take a later connection there (asking an old socket several times is not — an old
   * worker still accepts until it has read its master's quit command, which on a busy host can
   * come after a new worker has answered many times).
   */
  private async waitGeneration(colour: Colour, gen: string): Promise<void> {
    const socketPath = join(this.run, nginxSocket(colour, gen));
    await this.wait(`nginx to load the upstreams of ${colour} (generation ${gen})`, 15_000, async () => {
      const body = (await httpGet('http://lb/__shipkit/lb', {}, 3000, socketPath)).body;
      return /gen=(\w+)/.exec(body)?.[1] === gen ? true : undefined;
    });
  }

  async current(): Promise<Routes> {
    // Asked through the listeners: what a client reaches, not what our files say.
    const ask = async (port: number) =>
      parseColour(
        /colour=(\w+)/.exec(
          (await httpGet(`http://${lbHost(this.s)}:${port}/__shipkit/lb`, {}, 3000)).body,
        )?.[1],
      );
    const [live, preview] = await Promise.all([ask(this.s.port), ask(this.s.previewPort)]);
    return { live, preview };
  }

  async waitServing(): Promise<void> {
    // Nothing to wait for: route() lists the healthy replicas' addresses itself, when it switches.
  }

  async probes(_colour: Colour, replicas: readonly Replica[]): Promise<ReplicaProbe[]> {
    // The colour server proxies `PROBE_PREFIX<path>` to the replica named in X-Shipkit-Probe when
    // its generation lists it, and reports the address that answered.
    return replicas.map((r) => {
      const addr = `${r.ip}:${this.s.appPort}`;
      return {
        path: `${PROBE_PREFIX}${this.s.healthPath}`,
        headers: { 'x-shipkit-probe': addr },
        answeredBy: (h) => String(h['x-shipkit-upstream'] ?? ''),
        expect: addr,
        logNames: [addr],
      };
    });
  }
}

/** Sends commands to HAProxy's admin socket (non-interactive: it answers and closes). */
export function haproxyCommand(socket: string, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = net().connect(socket);
    let out = '';
    const timer = setTimeout(
      () => conn.destroy(new Error(`no answer from ${socket} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.end(command + '\n'));
    conn.on('data', (d: string) => (out += d));
    conn.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    conn.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

class HaproxyLb extends HostLb implements LoadBalancer {
  private get socket() {
    return join(lbDir(this.s), 'run', 'admin.sock');
  }
  private get mapFile() {
    return `${LB_DIR}/routes.map`;
  }

  async ensure(routes: Routes): Promise<void> {
    const conf = await readOr(join(lbDir(this.s), 'haproxy.cfg'));
    if (
      conf === haproxyConf(this.s) &&
      (await lbComposeCurrent(this.s)) &&
      (await this.current().catch(() => undefined))
    )
      return;
    await mkdir(join(lbDir(this.s), 'run'), { recursive: true });
    await ensureNetwork(this.s);
    // Written when missing; a changed config applies when the LB container is recreated (documented).
    if (conf === undefined) await writeAtomic(join(lbDir(this.s), 'haproxy.cfg'), haproxyConf(this.s));
    if (!(await readOr(join(lbDir(this.s), 'routes.map')))) {
      await writeAtomic(join(lbDir(this.s), 'routes.map'), haproxyMap(routes));
    }
    try {
      await startLb(this.s);
    } catch (err: unknown) {
      throw new StepFailure(`HAProxy did not start: ${String(err)}`);
    }
    await this.wait('HAProxy to answer on its admin socket', 30_000, async () =>
      (await haproxyCommand(this.socket, 'show info')).includes('Name: HAProxy') ? true : undefined,
    );
  }

  async route(routes: Routes): Promise<void> {
    const file = join(lbDir(this.s), 'routes.map');
    const old = await readOr(file);
    // Disk first, so a reload at any moment loads the routing we are about to set at runtime.
    await writeAtomic(file, haproxyMap(routes));
    const out = await haproxyCommand(
      this.socket,
      `set map ${this.mapFile} live ${routes.live ?? 'none'}; set map ${this.mapFile} preview ${routes.preview ?? 'none'}`,
    ).catch((e: unknown) => `error: ${String(e)}`);
    const now = await this.current().catch(() => undefined);
    if (!now || now.live !== routes.live || now.preview !== routes.preview) {
      if (old !== undefined) await writeAtomic(file, old);
      throw new StepFailure(
        `HAProxy refused the switch (nothing switched): ${out.trim() || 'routing unchanged'}`,
      );
    }
    await this.saveServerState();
  }

  /** Keeps the server-state file in step with the runtime, so a reload keeps server states. */
  private async saveServerState(): Promise<void> {
    const state = await haproxyCommand(this.socket, 'show servers state');
    await writeAtomic(join(lbDir(this.s), 'run', 'server-state'), state);
  }

  async current(): Promise<Routes> {
    const out = await haproxyCommand(this.socket, `show map ${this.mapFile}`);
    const get = (k: string) => new RegExp(`\\s${k} (\\w+)`).exec(` ${out}`)?.[1];
    return { live: parseColour(get('live')), preview: parseColour(get('preview')) };
  }

  /** A backend's server slots as HAProxy runs them: name, address, and whether it is up. */
  private async slots(colour: Colour): Promise<{ name: string; addr: string; up: boolean }[]> {
    const out = await haproxyCommand(this.socket, `show servers state ${colour}`);
    return out
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f.length > 6 && f[1] === colour)
      .map((f) => ({ name: f[3], addr: f[4], up: f[5] === '2' }));
  }

  async waitServing(colour: Colour, timeoutMs: number, known?: Replica[]): Promise<void> {
    // HAProxy finds replicas through Docker's DNS; wait until exactly the healthy replicas' addresses are UP.
    let first = known;
    await this.wait(`HAProxy to see every replica of ${colour} up`, timeoutMs, async () => {
      const reps = first ?? (await servingReplicas(this.s, colour));
      first = undefined;
      const want = reps.map((r) => r.ip).sort();
      if (want.length < this.s.replicas) return undefined;
      const up = (await this.slots(colour))
        .filter((x) => x.up)
        .map((x) => x.addr)
        .sort();
      return up.join() === want.join() ? true : undefined;
    });
    await this.saveServerState();
  }

  async probes(colour: Colour, replicas: readonly Replica[]): Promise<ReplicaProbe[]> {
    // A replica is reached through the server slot HAProxy has up at its address (`use-server`).
    const slots = await this.slots(colour);
    return replicas.map((r) => {
      const up = slots.find((x) => x.addr === r.ip && x.up)?.name;
      const named = slots.filter((x) => x.addr === r.ip).map((x) => `${colour}/${x.name} `);
      return {
        path: this.s.healthPath,
        headers: { 'x-shipkit-probe': up ?? 'none' },
        answeredBy: (h) => String(h['x-shipkit-server'] ?? ''),
        expect: up ?? `a server up at ${r.ip}`,
        logNames: [`${r.ip}:`, ...named],
      };
    });
  }
}

/** The load balancer of `s`; `progress` hears, every 10 s, what a long wait is waiting for. */
export function loadBalancer(s: AppSettings, progress?: Progress): LoadBalancer {
  return s.lb === 'nginx' ? new NginxLb(s, progress) : new HaproxyLb(s, progress);
}
