import type { Severity } from '../types.js';

/** A stack rule: its code, default severity and the one-line summary its docs page opens with. */
export interface StackRule {
  code: string;
  severity: Severity;
  title: string;
  /** What goes wrong at run time: the failure the rule prevents (docs). */
  why: string;
}

/** Every SK rule. Docs pages (docs/rules/SKxxxx.md) are generated from this list and the fixtures. */
export const STACK_RULES: readonly StackRule[] = [
  {
    code: 'SK0001',
    severity: 'error',
    title: 'A compose, nginx or HAProxy file does not parse',
    why: 'compose, nginx or HAProxy refuses to start with it; the stack never comes up.',
  },
  {
    code: 'SK0002',
    severity: 'error',
    title: 'A service uses a file that does not exist',
    why: 'a bind mount of a missing path gives the container an empty directory (nginx then fails on "is a directory"), and a COPY of a missing file fails the build.',
  },
  {
    code: 'SK0003',
    severity: 'style',
    title: 'A service uses a file outside the project directory (not checked)',
    why: 'lint never reads outside the project, so what that file does is not checked; CI checkouts usually do not have it either.',
  },
  {
    code: 'SK0004',
    severity: 'warning',
    title: 'A file is above the max-file-size limit (not checked)',
    why: 'the file is not read, so the stack rules cannot check it.',
  },
  {
    code: 'SK1001',
    severity: 'error',
    title: 'A service the load balancer proxies to listens on loopback',
    why: 'inside its container, 127.0.0.1 / localhost / ::1 is reachable only from that container: the load balancer gets "connection refused" and answers 502, while a health check run inside the container stays green.',
  },
  {
    code: 'SK2001',
    severity: 'warning',
    title: 'nginx resolves a Docker service name once, at start',
    why: "nginx resolves names in `upstream` servers and literal `proxy_pass` hosts when it loads its configuration and never again: replicas added by a scale-up never get traffic, and a replaced container's new address is never used (502 until nginx reloads).",
  },
  {
    code: 'SK2002',
    severity: 'warning',
    title: 'nginx `resolver` caches Docker DNS answers too long',
    why: "nginx keeps each answer for `valid=` (or for the DNS TTL, 600 s on Docker's DNS, when `valid=` is missing): new replicas wait that long for traffic and removed ones keep getting requests.",
  },
  {
    code: 'SK2003',
    severity: 'error',
    title: 'nginx `proxy_pass` with a variable host and no `resolver`',
    why: 'nginx resolves a variable host at request time through `resolver`; with none, every request fails with 502 ("no resolver defined to resolve").',
  },
  {
    code: 'SK2010',
    severity: 'error',
    title: '`envsubst` without a variable list over an nginx template that uses nginx variables',
    why: 'envsubst with no SHELL-FORMAT argument replaces every `$name`, so `$host`, `$remote_addr`, `$proxy_add_x_forwarded_for` become empty strings: nginx fails to start or forwards blank headers.',
  },
  {
    code: 'SK2020',
    severity: 'warning',
    title: 'A proxied nginx location forwards none of Host, X-Forwarded-For, X-Forwarded-Proto',
    why: "the app sees the upstream name as Host (wrong redirects and absolute URLs), the load balancer's address as the client, and http as the scheme.",
  },
  {
    code: 'SK2021',
    severity: 'warning',
    title: 'nginx clears a forwarding header with an empty value',
    why: '`proxy_set_header X ""` removes the header: the app loses the host, client address or scheme it needs.',
  },
  {
    code: 'SK2022',
    severity: 'warning',
    title: 'nginx proxies to https without verifying the upstream certificate',
    why: 'nginx does not verify upstream certificates unless `proxy_ssl_verify on` (and verifies against the `upstream` block name unless `proxy_ssl_name` names the host): the TLS hop protects against nothing, or fails once verification is turned on.',
  },
  {
    code: 'SK3001',
    severity: 'warning',
    title: 'HAProxy `server` with a fixed address or a name resolved once',
    why: 'HAProxy resolves a `server` name once at start unless the server uses `resolvers`, and one `server` line follows one address: replicas added or replaced later never get traffic. `server-template` with `resolvers` follows every replica.',
  },
  {
    code: 'SK3002',
    severity: 'warning',
    title: 'HAProxy server without `check`',
    why: 'without health checks HAProxy keeps sending requests to a replica that is stopping, crashed or not ready: clients get errors during every deploy.',
  },
  {
    code: 'SK3003',
    severity: 'warning',
    title: 'HAProxy checks only the TCP port while the app has a health path',
    why: 'a TCP check passes as soon as the port accepts connections: a replica that answers 500 or is draining (503 on its health path) keeps getting traffic.',
  },
  {
    code: 'SK4001',
    severity: 'error',
    title: 'A replicated service has a fixed `container_name`',
    why: 'container names are unique: `--scale` and `deploy.replicas` cannot start a second replica, and blue-green cannot start the new colour beside the old one.',
  },
  {
    code: 'SK4002',
    severity: 'error',
    title: 'A replicated service publishes a fixed host port',
    why: 'one host port can be bound once: the second replica fails with "port is already allocated". Let the load balancer publish the port.',
  },
  {
    code: 'SK4010',
    severity: 'warning',
    title: 'A service behind the load balancer has no health check',
    why: 'nothing tells compose, `depends_on: service_healthy`, smoke or the load balancer when a replica is ready or broken: traffic reaches replicas that are still starting.',
  },
  {
    code: 'SK4011',
    severity: 'warning',
    title: 'A health check that cannot fail',
    why: 'a check ending in `|| exit 0` / `|| true`, or one that tests a port the app does not serve, reports healthy whatever the app does: broken replicas stay in rotation.',
  },
  {
    code: 'SK5001',
    severity: 'warning',
    title: 'An `sh -c` command that does not `exec` the main process',
    why: 'the shell stays PID 1 and does not pass SIGTERM on: every stop waits out the stop timeout and the app is killed without draining.',
  },
  {
    code: 'SK5002',
    severity: 'warning',
    title: 'An entrypoint script that does not `exec` the main process (`exec "$@"`)',
    why: 'the script stays PID 1 and swallows SIGTERM: the app never hears it, every deploy waits out the stop timeout, and in-flight requests are cut.',
  },
  {
    code: 'SK6001',
    severity: 'error',
    title: 'A certificate served by the load balancer has expired',
    why: 'every client refuses the TLS handshake.',
  },
  {
    code: 'SK6002',
    severity: 'warning',
    title: 'A certificate served by the load balancer expires soon',
    why: 'it expires within the configured number of days (input `cert-expiry-days`, default 30): renew it before clients start refusing it.',
  },
  {
    code: 'SK6003',
    severity: 'error',
    title: 'A certificate does not cover the names it is served for',
    why: 'clients refuse a certificate whose subject alternative names do not match the host they asked for (`server_name`, or the SNI/Host a HAProxy frontend routes on).',
  },
];

const BY_CODE = new Map(STACK_RULES.map((r) => [r.code, r]));

/** The rule of a code (throws on an unknown code: a programming error). */
export function stackRule(code: string): StackRule {
  const r = BY_CODE.get(code);
  if (!r) throw new Error(`unknown stack rule ${code}`);
  return r;
}
