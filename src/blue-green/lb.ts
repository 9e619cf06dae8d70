/**
 * The load balancer in front of both colours. nginx: upstream include rewritten atomically,
 * `nginx -t`, graceful `nginx -s reload`. HAProxy: `set map` over the admin socket, no reload, with
 * the map and server-state files kept in step on disk.
 */
import { connect } from 'node:net';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StepFailure } from '../core/errors.js';
import { ExecError } from '../core/exec.js';
import { ensureNetwork, lbComposeCurrent, lbExec, servingReplicas, startLb, type Replica } from './engine.js';
import {
  generationOf,
  haproxyConf,
  haproxyMap,
  LB_DIR,
  NGINX_FILES,
  nginxConf,
  nginxUpstreams,
  type AppSettings,
  type Routes,
} from './plan.js';
import { writeAtomic, type Colour } from './state.js';
import { httpGet } from './probe.js';

export interface LoadBalancer {
  /** Writes the config (keeping the current routing) and starts the LB when it is not running. */
  ensure(routes: Routes): Promise<void>;
  /** Routes the listeners; validates first and keeps the old routing when the LB refuses. */
  route(routes: Routes, known?: Partial<Record<Colour, Replica[]>>): Promise<void>;
  /** What the running LB routes right now (asked from the LB itself, not from our files). */
  current(): Promise<Routes>;
  /** Resolves when every healthy replica of `colour` (and only those) can take traffic from the LB. */
  waitServing(colour: Colour, timeoutMs: number, known?: Replica[]): Promise<void>;
}

const lbDir = (s: AppSettings) => join(s.stateDir, 'lb');
const parseColour = (v: string | undefined): Colour | null => (v === 'blue' || v === 'green' ? v : null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The host address to reach the LB's published ports from here. */
export function lbHost(s: AppSettings): string {
  return s.bindAddress === '0.0.0.0' ? '127.0.0.1' : s.bindAddress;
}

async function readOr(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline)
      throw new StepFailure(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}`);
    await sleep(200);
  }
}

type Listener = 'live' | 'preview';
const LISTENERS: readonly Listener[] = ['live', 'preview'];

class NginxLb implements LoadBalancer {
  constructor(private readonly s: AppSettings) {}

  /** The files of one listener's master for `colour`; addresses listed freshly, never resolved once and kept. */
  private async files(
    listener: Listener,
    colour: Colour | null,
    known: Partial<Record<Colour, Replica[]>> = {},
  ): Promise<Record<string, string>> {
    const reps = colour ? (known[colour] ?? (await servingReplicas(this.s, colour))) : [];
    const addrs = reps.map((r) => r.ip).sort();
    const f = NGINX_FILES[listener];
    return {
      [f.conf]: nginxConf(this.s, listener),
      [f.upstreams]: nginxUpstreams(listener, colour, addrs, this.s.appPort),
    };
  }

  async ensure(routes: Routes): Promise<void> {
    // Fast path (no dockerd round trip): config present, same compose file, and the LB answers.
    const conf = await readOr(join(lbDir(this.s), 'nginx.conf'));
    const answers = async () => (await this.current().catch(() => undefined)) !== undefined;
    if (conf !== undefined && (await lbComposeCurrent(this.s)) && (await answers())) return;
    await mkdir(lbDir(this.s), { recursive: true });
    await ensureNetwork(this.s);
    // Only missing files are written: a changed config is applied by the next route(), which validates it.
    for (const l of LISTENERS) {
      for (const [f, text] of Object.entries(await this.files(l, routes[l]))) {
        if ((await readOr(join(lbDir(this.s), f))) === undefined)
          await writeAtomic(join(lbDir(this.s), f), text);
      }
    }
    await startLb(this.s);
    await waitFor('nginx to answer', 30_000, async () => ((await answers()) ? true : undefined));
  }

  async route(routes: Routes, known: Partial<Record<Colour, Replica[]>> = {}): Promise<void> {
    // Only masters whose files change are touched: a deploy reloads the preview master, never the live one.
    const changes: {
      listener: Listener;
      old: Record<string, string | undefined>;
      next: Record<string, string>;
    }[] = [];
    for (const l of LISTENERS) {
      const next = await this.files(l, routes[l], known);
      const old: Record<string, string | undefined> = {};
      for (const f of Object.keys(next)) old[f] = await readOr(join(lbDir(this.s), f));
      if (Object.keys(next).some((f) => old[f] !== next[f])) changes.push({ listener: l, old, next });
    }
    if (!changes.length) return;
    for (const ch of changes)
      for (const [f, text] of Object.entries(ch.next)) await writeAtomic(join(lbDir(this.s), f), text);
    // Test every changed config before reloading anything, in one exec (each exec is a dockerd round trip).
    const confs = changes.map((ch) => `${LB_DIR}/${NGINX_FILES[ch.listener].conf}`);
    const script = [
      ...confs.map((c) => `nginx -t -q -c ${c}`),
      ...confs.map((c) => `nginx -s reload -c ${c}`),
    ].join(' && ');
    try {
      await lbExec(this.s, ['sh', '-c', script]);
    } catch (err: unknown) {
      for (const ch of changes)
        for (const [f, text] of Object.entries(ch.old))
          if (text !== undefined) await writeAtomic(join(lbDir(this.s), f), text);
      const why = err instanceof ExecError ? err.result.stderr.trim() : String(err);
      throw new StepFailure(
        `nginx refused the generated config, kept the old one (nothing switched): ${why}`,
      );
    }
    // The reload is asynchronous: old workers may still accept a new connection for a moment after
    // a new worker first answers. Wait until several answers in a row, each on a new connection,
    // show the new routing (one lucky answer let a smoke test right after meet old workers).
    const wanted = changes.map((ch) => ({
      port: ch.listener === 'live' ? this.s.port : this.s.previewPort,
      gen: generationOf(ch.next[NGINX_FILES[ch.listener].upstreams]),
    }));
    await waitFor(`nginx to route live=${routes.live ?? 'none'}`, 15_000, async () => {
      for (let i = 0; i < 8; i++) {
        const now = await this.current();
        if (now.live !== routes.live || now.preview !== routes.preview) return undefined;
        for (const w of wanted) if (w.gen && (await this.generation(w.port)) !== w.gen) return undefined;
      }
      return true;
    });
  }

  /** The upstream generation the listener on `port` runs now (see `nginxUpstreams`). */
  private async generation(port: number): Promise<string | undefined> {
    const body = (await httpGet(`http://${lbHost(this.s)}:${port}/__shipkit/lb`, {}, 3000)).body;
    return /gen=(\w+)/.exec(body)?.[1];
  }

  async current(): Promise<Routes> {
    const ask = async (port: number) =>
      (await httpGet(`http://${lbHost(this.s)}:${port}/__shipkit/lb`, {}, 3000)).body;
    const [live, preview] = await Promise.all([ask(this.s.port), ask(this.s.previewPort)]);
    return {
      live: parseColour(/live=(\w+)/.exec(live)?.[1]),
      preview: parseColour(/preview=(\w+)/.exec(preview)?.[1]),
    };
  }

  async waitServing(): Promise<void> {
    // Nothing to wait for: route() lists the healthy replicas' addresses itself, when it switches.
  }
}

/** Sends commands to HAProxy's admin socket (non-interactive: it answers and closes). */
export function haproxyCommand(socket: string, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
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

class HaproxyLb implements LoadBalancer {
  constructor(private readonly s: AppSettings) {}
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
    await waitFor('HAProxy to answer on its admin socket', 30_000, async () =>
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

  async waitServing(colour: Colour, timeoutMs: number, known?: Replica[]): Promise<void> {
    // HAProxy finds replicas through Docker's DNS; wait until exactly the healthy replicas' addresses are UP.
    let first = known;
    await waitFor(`HAProxy to see every replica of ${colour} up`, timeoutMs, async () => {
      const reps = first ?? (await servingReplicas(this.s, colour));
      first = undefined;
      const want = reps.map((r) => r.ip).sort();
      if (want.length < this.s.replicas) return undefined;
      const out = await haproxyCommand(this.socket, `show servers state ${colour}`);
      const up = out
        .split('\n')
        .map((l) => l.split(' '))
        .filter((f) => f.length > 6 && f[1] === colour && f[5] === '2')
        .map((f) => f[4])
        .sort();
      return up.join() === want.join() ? true : undefined;
    });
    await this.saveServerState();
  }
}

export function loadBalancer(s: AppSettings): LoadBalancer {
  return s.lb === 'nginx' ? new NginxLb(s) : new HaproxyLb(s);
}
