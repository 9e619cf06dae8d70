/**
 * Pure planning for blue-green on Docker Swarm: object names, the HAProxy config each LB task runs
 * (the single-host one, plus a per-node control frontend), and the service specs sent to the
 * Engine API. No side effects, so every spec is table-tested.
 */
import { crypto } from '../../core/builtins.js';
import { haproxyConf, LABEL, LB_LIVE_PORT, LB_PREVIEW_PORT, type AppSettings, type Routes } from '../plan.js';
import type { Colour } from '../state.js';

/** Inside an LB task: the config (a Swarm config, read-only) and the files the LB writes. */
export const SWARM_LB = {
  config: '/etc/shipkit-lb/haproxy.cfg',
  runDir: '/tmp/shipkit-lb',
  mapFile: '/tmp/shipkit-lb/routes.map',
  controlPort: 8082,
} as const;

export const SWARM_LABEL = {
  ...LABEL,
  /** On the LB service: the routing every new LB task starts with (`live=<c> preview=<c>`). */
  routes: 'io.shipkit.bluegreen.routes',
  /** On a state record (a Swarm config): the app it belongs to, and its sequence number. */
  stateOf: 'io.shipkit.bluegreen.state-of',
  seq: 'io.shipkit.bluegreen.seq',
  lockOf: 'io.shipkit.bluegreen.lock-of',
} as const;

export const colourService = (s: AppSettings, c: Colour): string => `${s.name}-${c}`;
export const lbService = (s: AppSettings): string => `${s.name}-lb`;
export const overlayNetwork = (s: AppSettings): string => `${s.name}-net`;
export const lockName = (s: AppSettings): string => `${s.name}-bg-lock`;
export const stateName = (s: AppSettings, seq: number): string => `${s.name}-bg-state-${seq}`;
export const lbConfigName = (s: AppSettings, text: string): string =>
  `${s.name}-bg-lb-${crypto().createHash('sha256').update(text).digest('hex').slice(0, 12)}`;

/** The routes label of the LB service. */
export const routesLabel = (r: Routes): string => `live=${r.live ?? 'none'} preview=${r.preview ?? 'none'}`;

const colourOf = (v: string | undefined): Colour | null => (v === 'blue' || v === 'green' ? v : null);

/** Reads `live=<c> preview=<c>` (the routes label, or a control answer); unknown words are `null`. */
export function parseRoutes(text: string): Routes {
  return {
    live: colourOf(/(?:^|\s)live=(\w+)/.exec(text)?.[1]),
    preview: colourOf(/(?:^|\s)preview=(\w+)/.exec(text)?.[1]),
  };
}

const TOKEN = /^[0-9a-f]{32}$/;

/**
 * The HAProxy config of every LB task: the single-host config with replicas found through Swarm
 * DNS (`tasks.<app>-<colour>`, endpoint mode dnsrr) and the route map in the task's own /tmp, plus
 * `frontend control` on the control port. A request there must carry `X-Shipkit-Token`; it can set
 * the task's live/preview routes (`set-map`) and always answers what the task routes now and its
 * node. A route change carries `until` (epoch seconds) and is ignored after it, so a request that
 * reaches a node late (a frozen node that wakes up) cannot switch it after shipkit gave up on it.
 */
export function swarmHaproxyConf(s: AppSettings, token: string): string {
  if (!TOKEN.test(token)) throw new Error('control token must be 32 hex digits');
  const map = SWARM_LB.mapFile;
  const base = haproxyConf(s, {
    runDir: SWARM_LB.runDir,
    mapFile: map,
    backendHost: (c) => `tasks.${colourService(s, c)}`,
  });
  const set = (l: 'live' | 'preview') =>
    `    http-request set-map(${map}) ${l} %[url_param(${l})] if route fresh { url_param(${l}) -m reg ^(blue|green|none)$ }`;
  const control = [
    'frontend control',
    `    bind :${SWARM_LB.controlPort}`,
    `    http-request deny deny_status 403 unless { req.hdr(x-shipkit-token) -m str ${token} }`,
    '    acl route path /__shipkit/route',
    '    acl stats path_beg /__shipkit/stats',
    '    http-request set-var(txn.until) url_param(until)',
    '    http-request set-var(txn.late) date,sub(txn.until)',
    '    acl fresh var(txn.late) -m int lt 1',
    set('live'),
    set('preview'),
    `    http-request return status 200 content-type text/plain lf-string "live=%[str(live),map(${map},none)] preview=%[str(preview),map(${map},none)] node=\${SHIPKIT_NODE}\\n" if route`,
    '    http-request deny deny_status 404 unless stats',
    '    use_backend shipkit-stats',
    '',
    'backend shipkit-stats',
    '    stats enable',
    '    stats uri /__shipkit/stats',
    // Server addresses appear in the CSV only with legends on (readiness compares them with the tasks).
    '    stats show-legends',
    '',
  ];
  return `${base}\n${control.join('\n')}`;
}

/** The control token a config holds (to reach the LB tasks of an LB created by another runner). */
export function tokenOf(conf: string): string | undefined {
  // HAProxy's control frontend, or nginx's token map (swarm/nginx.ts).
  return (
    /x-shipkit-token\) -m str ([0-9a-f]{32}) /.exec(conf)?.[1] ??
    /map \$http_x_shipkit_token \$shipkit_ok \{\n\s+default 0;\n\s+"([0-9a-f]{32})" 1;/.exec(conf)?.[1]
  );
}

/** What an LB task runs: its PID 1 (POSIX sh), where its config is mounted, and its hostname. */
export interface LbTask {
  entry: string;
  configFile: string;
  /** A service template for the container's hostname (nginx reports `$hostname` as its node). */
  hostname?: string;
}

/** HAProxy's task (see `lbEntry`): it reports its node through `SHIPKIT_NODE`. */
export const haproxyTask = (): LbTask => ({ entry: lbEntry(), configFile: SWARM_LB.config });

/**
 * PID 1 of an LB task (POSIX sh): writes the route map from the LB service's routes label (passed
 * through a service template, so every new task starts with the routing of the last switch), then
 * runs HAProxy. Only fixed words reach the map, whatever the label holds.
 */
export function lbEntry(): string {
  return [
    `mkdir -p ${SWARM_LB.runDir}`,
    'live=none; preview=none',
    'case " $SHIPKIT_ROUTES " in *" live=blue "*) live=blue ;; *" live=green "*) live=green ;; esac',
    'case " $SHIPKIT_ROUTES " in *" preview=blue "*) preview=blue ;; *" preview=green "*) preview=green ;; esac',
    `printf 'live %s\\npreview %s\\n' "$live" "$preview" > ${SWARM_LB.mapFile}`,
    `exec haproxy -W -db -f ${SWARM_LB.config}`,
  ].join('\n');
}

const env = (map: Record<string, string>) => Object.entries(map).map(([k, v]) => `${k}=${v}`);

/** The Engine API spec of one colour's service: N replicas, dnsrr, on the overlay network. */
export function colourServiceSpec(s: AppSettings, c: Colour, image: string, version: string) {
  const labels = { [LABEL.app]: s.name, [LABEL.colour]: c, [LABEL.version]: version, [LABEL.role]: 'app' };
  return {
    Name: colourService(s, c),
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        // Values reach the container byte for byte: the API takes them as they are (no shell, no compose).
        Env: env({ ...s.env, APP_COLOUR: c, APP_VERSION: version }),
        Labels: labels,
        Init: true,
        StopGracePeriod: 15_000_000_000,
        // The engine keeps the image's test and overrides only the fields given here.
        ...(s.healthcheckTimeoutMs ? { Healthcheck: { Timeout: s.healthcheckTimeoutMs * 1_000_000 } } : {}),
      },
      Networks: [{ Target: overlayNetwork(s) }],
      RestartPolicy: { Condition: 'any', Delay: 1_000_000_000 },
    },
    Mode: { Replicated: { Replicas: s.replicas } },
    EndpointSpec: { Mode: 'dnsrr' },
  };
}

/**
 * The LB service: global (one task per node), the config mounted from a Swarm config, the live and
 * preview ports published on every node (ingress or mode=host), the control port always mode=host
 * (it must reach the task on that node, never one chosen by the routing mesh).
 */
export function lbServiceSpec(
  s: AppSettings,
  config: { id: string; name: string },
  routes: Routes,
  task: LbTask = haproxyTask(),
): Record<string, unknown> {
  const sw = s.swarm;
  if (!sw) throw new Error('swarm settings missing');
  const port = (target: number, published: number, mode: 'ingress' | 'host') => ({
    Protocol: 'tcp',
    TargetPort: target,
    PublishedPort: published,
    PublishMode: mode,
  });
  const labels = { [LABEL.app]: s.name, [LABEL.role]: 'lb' };
  return {
    Name: lbService(s),
    Labels: { ...labels, [SWARM_LABEL.routes]: routesLabel(routes) },
    TaskTemplate: {
      ContainerSpec: {
        Image: s.lbImage,
        Command: ['sh', '-c', task.entry],
        ...(task.hostname ? { Hostname: task.hostname } : {}),
        User: '0:0',
        Init: true,
        Labels: labels,
        Env: [
          `SHIPKIT_ROUTES={{index .Service.Labels "${SWARM_LABEL.routes}"}}`,
          'SHIPKIT_NODE={{.Node.Hostname}}',
        ],
        Configs: [
          {
            File: { Name: task.configFile, UID: '0', GID: '0', Mode: 0o444 },
            ConfigID: config.id,
            ConfigName: config.name,
          },
        ],
      },
      Networks: [{ Target: overlayNetwork(s) }],
      RestartPolicy: { Condition: 'any', Delay: 1_000_000_000 },
    },
    Mode: { Global: {} },
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: [
        port(LB_LIVE_PORT, s.port, sw.publishMode),
        port(LB_PREVIEW_PORT, s.previewPort, sw.publishMode),
        port(SWARM_LB.controlPort, sw.controlPort, 'host'),
      ],
    },
  };
}

/** A node as the Engine API lists it (the fields used here). */
export interface ApiNode {
  ID: string;
  Description?: { Hostname?: string };
  Spec?: { Availability?: string; Role?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Addr?: string; Leader?: boolean; Reachability?: string };
}

/** One node of the swarm: where its LB task's ports are reached, and whether it can hold tasks. */
export interface SwarmNode {
  id: string;
  name: string;
  addr: string;
  ready: boolean;
  /**
   * Not drained: the global LB service runs a task there, so a switch must reach it. A node that
   * is down stays active until someone drains or removes it, and blocks switches until then: its
   * task would come back with the old routing.
   */
  active: boolean;
}

/** The nodes from `GET /nodes`, sorted by name; a manager that reports 0.0.0.0 is reached at its manager address. */
export function swarmNodes(nodes: readonly ApiNode[]): SwarmNode[] {
  return nodes
    .map((n) => {
      const own = n.Status?.Addr ?? '';
      const addr = own && own !== '0.0.0.0' ? own : (n.ManagerStatus?.Addr ?? '').replace(/:\d+$/, '');
      const ready = n.Status?.State === 'ready';
      return {
        id: n.ID,
        name: n.Description?.Hostname ?? n.ID.slice(0, 12),
        addr,
        ready,
        active: (n.Spec?.Availability ?? 'active') === 'active',
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Server slots per backend from HAProxy's CSV stats: which addresses a colour has UP. */
export function upAddresses(csv: string, backend: Colour): string[] {
  const lines = csv.split('\n').filter(Boolean);
  const head = (lines[0] ?? '').replace(/^# /, '').split(',');
  const col = (name: string) => head.indexOf(name);
  const [px, sv, st, ad] = [col('pxname'), col('svname'), col('status'), col('addr')];
  if ([px, sv, st, ad].includes(-1)) return [];
  return lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((f) => f[px] === backend && f[sv] !== 'BACKEND' && f[sv] !== 'FRONTEND' && f[st] === 'UP')
    .map((f) => f[ad].replace(/:\d+$/, ''))
    .sort();
}

/** Slot name of the server UP at `ip` in a backend (for `X-Shipkit-Probe`), from the CSV stats. */
export function slotAt(csv: string, backend: Colour, ip: string): string | undefined {
  const lines = csv.split('\n').filter(Boolean);
  const head = (lines[0] ?? '').replace(/^# /, '').split(',');
  const [px, sv, st, ad] = ['pxname', 'svname', 'status', 'addr'].map((n) => head.indexOf(n));
  return lines
    .slice(1)
    .map((l) => l.split(','))
    .find((f) => f[px] === backend && f[st] === 'UP' && f[ad]?.replace(/:\d+$/, '') === ip)?.[sv];
}
