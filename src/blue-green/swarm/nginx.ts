/**
 * nginx as the load balancer on Docker Swarm: the config every LB task runs and its PID 1. Pure, so
 * both are table-tested. One master per task (no reload in steady state): the single host's live and
 * preview listeners proxy per request to a route link, a symlink to one colour server's unix socket;
 * the colour servers reach their replicas through Swarm DNS (`tasks.<app>-<colour>`, re-resolved every
 * second). A switch is a token-checked request on the node's control port, which nginx writes to a
 * FIFO; the task's route agent (a shell loop, PID 1's child) renames the route links as the single
 * host does. Nothing is reloaded, so no client connection is closed; requests in flight finish on the
 * colour they started on.
 */
import {
  NGINX_NONE_SOCKET,
  nginxColourServer,
  nginxHead,
  nginxListeners,
  nginxNoneServer,
  nginxRouteLink,
  nginxSocket,
  PROBE_PREFIX,
  type AppSettings,
} from '../plan.js';
import type { Colour } from '../state.js';
import { APP_NAME } from '../validate.js';
import { colourService, SWARM_LB, type LbTask } from './plan.js';

/** Inside an nginx LB task: its config (a Swarm config) and the folder of its sockets, links and FIFO. */
export const SWARM_NGINX = {
  config: '/etc/shipkit-lb/nginx.conf',
  runDir: SWARM_LB.runDir,
  fifo: `${SWARM_LB.runDir}/control.fifo`,
} as const;

/** The socket of a colour's server in a task (no generations: replicas come from DNS, not the config). */
export const swarmColourSocket = (c: Colour): string => nginxSocket(c, 'dns');

const TOKEN = /^[0-9a-f]{32}$/;
const PORT = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

/**
 * The nginx config of every LB task. Only validated values reach it: the app name (a DNS word), the
 * app and control ports (integers) and the token (32 hex digits); the health path travels in requests,
 * never in the config. Throws on anything else, whatever the caller checked before.
 */
export function swarmNginxConf(s: AppSettings, token: string): string {
  if (!TOKEN.test(token)) throw new Error('control token must be 32 hex digits');
  if (!APP_NAME.test(s.name))
    throw new Error(`app name ${JSON.stringify(s.name)} cannot reach an nginx config`);
  if (!PORT(s.appPort)) throw new Error(`app port ${String(s.appPort)} is not a port`);
  if (s.lbSnippet.length) throw new Error('lb-snippet is not supported with engine swarm');
  const run = SWARM_NGINX.runDir;
  const colour = (c: Colour) =>
    nginxColourServer(c, {
      sockets: [`${run}/${swarmColourSocket(c)}`],
      lbAnswer: `colour=${c}\\n`,
      probe: '$shipkit_probe',
      refused: `not a replica address, or no control token\\n`,
      pass: [
        // A variable target: resolved through Swarm DNS at request time (cached `valid=` long), so
        // tasks started, moved or scaled get traffic without a reload.
        `set $shipkit_backend tasks.${colourService(s, c)};`,
        `proxy_pass http://$shipkit_backend:${s.appPort};`,
        'add_header X-Shipkit-Upstream $shipkit_upstream always;',
      ],
    });
  const ask = (l: 'live' | 'preview') => [
    `        location = /__shipkit/route/${l} {`,
    `            proxy_pass http://unix:${run}/${nginxRouteLink(l)}:/__shipkit/lb;`,
    '            add_header X-Shipkit-Node $hostname always;',
    '        }',
  ];
  const up = (c: Colour) => [
    `        location ^~ /__shipkit/up/${c}/ {`,
    `            rewrite ^/__shipkit/up/${c}(/.*)$ $1 break;`,
    `            proxy_pass http://unix:${run}/${swarmColourSocket(c)}:;`,
    '            proxy_set_header Connection "";',
    '        }',
  ];
  return [
    ...nginxHead('swarm'),
    '    resolver 127.0.0.11 valid=1s ipv6=off;',
    '    resolver_timeout 5s;',
    '    map $http_x_shipkit_token $shipkit_ok {',
    '        default 0;',
    `        "${token}" 1;`,
    '    }',
    // A readiness probe names one replica (`X-Shipkit-Probe: <ip:port>`); only with the token.
    '    map $http_x_shipkit_probe $shipkit_probe_addr {',
    '        default "";',
    '        "~^([0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+:[0-9]+)$" $1;',
    '    }',
    '    map $shipkit_ok $shipkit_probe {',
    '        default "";',
    '        1 $shipkit_probe_addr;',
    '    }',
    // Which replica answered, for shipkit only (clients never see the overlay's addresses).
    '    map $shipkit_ok $shipkit_upstream {',
    '        default "";',
    '        1 $upstream_addr;',
    '    }',
    '    map $is_args $shipkit_set {',
    '        default 0;',
    '        "?" 1;',
    '    }',
    // `$msec`: when nginx took the request, for the agent's deadline check (a fork of `date` saved).
    "    log_format shipkit_route '$arg_live $arg_preview $arg_until $msec';",
    ...nginxListeners(s, run),
    ...colour('blue'),
    ...colour('green'),
    ...nginxNoneServer(`${run}/${NGINX_NONE_SOCKET}`),
    '    server {',
    `        listen ${SWARM_LB.controlPort};`,
    '        if ($shipkit_ok = 0) { return 403 "control token required\\n"; }',
    // A switch: written to the route agent's FIFO (only a request with the token gets this far).
    '        location = /__shipkit/route {',
    `            access_log ${SWARM_NGINX.fifo} shipkit_route if=$shipkit_set;`,
    '            return 202 "queued\\n";',
    '        }',
    ...ask('live'),
    ...ask('preview'),
    ...up('blue'),
    ...up('green'),
    '        location / { return 404; }',
    '    }',
    '}',
    '',
  ].join('\n');
}

/**
 * PID 1 of an nginx LB task (POSIX sh: dash or busybox): points the route links at the routing of
 * the LB service's routes label (only fixed words reach them), opens the FIFO before nginx (nginx
 * opens its logs at start; a FIFO without a reader would block it), runs nginx in the foreground and
 * the route agent beside it. The agent applies a switch only until its `until` (epoch seconds), so a
 * request that reached a frozen node late changes nothing when the node wakes up. SIGTERM quits nginx
 * gracefully (requests in flight finish); nginx exiting on its own ends the task, and Swarm starts
 * another with the recorded routing.
 */
export function swarmNginxEntry(): string {
  const target = (v: string) => `"$(target "${v}")"`;
  return [
    `mkdir -p ${SWARM_NGINX.runDir} && cd ${SWARM_NGINX.runDir} || exit 1`,
    `target() { case $1 in blue|green) echo "c-$1-dns.sock" ;; *) echo ${NGINX_NONE_SOCKET} ;; esac; }`,
    // A new link renamed over the old one: every request finds one link, the old or the new. Two
    // processes a link: on a loaded node each fork costs milliseconds of the switch.
    'link() { ln -sfn "$2" "$1.sock.new" && mv -f "$1.sock.new" "$1.sock"; }',
    'live=none; preview=none',
    'case " $SHIPKIT_ROUTES " in *" live=blue "*) live=blue ;; *" live=green "*) live=green ;; esac',
    'case " $SHIPKIT_ROUTES " in *" preview=blue "*) preview=blue ;; *" preview=green "*) preview=green ;; esac',
    `link live ${target('$live')} && link preview ${target('$preview')} || exit 1`,
    `rm -f ${SWARM_NGINX.fifo} && mkfifo -m 600 ${SWARM_NGINX.fifo} && exec 3<>${SWARM_NGINX.fifo} || exit 1`,
    `nginx -c ${SWARM_NGINX.config} -g 'daemon off;' &`,
    'ngx=$!',
    '(',
    '  while read -r l p u t <&3; do',
    '    case $u in ""|*[!0-9]*) continue ;; esac',
    '    if [ "${#u}" -gt 12 ] || [ "${t%.*}" -gt "$u" ]; then',
    '      echo "shipkit: ignored a switch that arrived after its deadline" >&2; continue',
    '    fi',
    // Both words or neither: a request that is not a whole switch changes nothing.
    '    case "$l" in blue|green|none) ;; *) continue ;; esac',
    '    case "$p" in blue|green|none) ;; *) continue ;; esac',
    `    link live ${target('$l')} && link preview ${target('$p')}`,
    '  done',
    ') &',
    'trap \'stop=1; kill -QUIT "$ngx" 2>/dev/null\' TERM INT',
    'wait "$ngx"',
    'while kill -0 "$ngx" 2>/dev/null; do wait "$ngx"; done',
    '[ -n "$stop" ] && exit 0',
    "echo 'shipkit: nginx exited; the task ends so that Swarm starts another' >&2",
    'exit 1',
  ].join('\n');
}

/** The path on the control port that asks a colour's server for the health path through DNS. */
export const upPath = (c: Colour, healthPath: string): string => `/__shipkit/up/${c}${healthPath}`;
/** The path of a readiness probe on the preview port (the single host's). */
export const probePath = (healthPath: string): string => `${PROBE_PREFIX}${healthPath}`;

/** The nginx task for `lbServiceSpec`: its hostname is its node's, which `$hostname` reports. */
export const nginxTask = (): LbTask => ({
  entry: swarmNginxEntry(),
  configFile: SWARM_NGINX.config,
  hostname: '{{.Node.Hostname}}',
});
