import { isIpLiteral, isLoopback } from './common.js';
import {
  headerLevel,
  httpContexts,
  inherited,
  proxyPasses,
  upstreams,
  upstreamServer,
  type XDirective,
} from './nginx-model.js';
import { nginxSeconds } from './nginx.js';
import type { Balancer, Stack, StackFinding } from './types.js';

/** The balancer re-resolves on its own: a script that reloads nginx in a loop (a DNS watcher). */
function reloadsOnChange(b: Balancer): boolean {
  return b.scripts.some((s) => /nginx\s+-s\s+reload/.test(s.text) && /\b(while|until)\b/.test(s.text));
}

/**
 * `proxy_pass http://$backend` where a `map` sets $backend only to upstream groups (or addresses):
 * nginx picks the group at request time and needs no resolver.
 */
function mapsToGroups(http: XDirective[], host: string, ups: Map<string, XDirective>): boolean {
  const v = /^\$\{?(\w+)\}?$/.exec(host)?.[1];
  const map = v && http.find((d) => d.name === 'map' && d.args[1] === `$${v}` && d.block);
  if (!map) return false;
  const values = (map.block ?? [])
    .filter((d) => !['hostnames', 'volatile', 'include'].includes(d.name))
    .map((d) => d.args[0] ?? '');
  return (
    values.length > 0 &&
    values.every(
      (x) => ups.has(x) || isIpLiteral(x.replace(/:\d+$/, '')) || isLoopback(x.replace(/:\d+$/, '')),
    )
  );
}

const at = (d: XDirective) => ({ file: d.file, line: d.line });

function resolverFindings(
  stack: Stack,
  r: XDirective | undefined,
  d: XDirective,
  what: string,
  out: StackFinding[],
) {
  if (!r) {
    out.push({
      code: 'SK2003',
      ...at(d),
      message: `${what} needs a "resolver" at request time and none is set: every request fails with 502 (add "resolver 127.0.0.11 valid=10s;")`,
    });
    return;
  }
  const valid = r.args.find((a) => a.startsWith('valid='));
  const max = stack.options.maxResolverValid;
  if (!valid) {
    out.push({
      code: 'SK2002',
      ...at(r),
      message: `"resolver" without valid= keeps Docker DNS answers for their TTL (600 s): scaled-up replicas wait up to 10 minutes for traffic (add valid=10s)`,
    });
    return;
  }
  const secs = nginxSeconds(valid.slice(6));
  if (secs !== undefined && secs > max)
    out.push({
      code: 'SK2002',
      ...at(r),
      message: `"resolver … ${valid}" keeps DNS answers ${secs} s, longer than ${max} s: scaled-up replicas wait that long for traffic`,
    });
}

function resolveOnce(stack: Stack, b: Balancer, http: XDirective[], out: StackFinding[]) {
  const ups = upstreams(http);
  const watcher = reloadsOnChange(b);
  const httpResolver = inherited([http], 'resolver');
  const checkUpstream = (u: XDirective) => {
    for (const d of u.block ?? []) {
      if (d.name !== 'server') continue;
      const s = upstreamServer(d);
      if (!stack.hostnames.has(s.host)) continue;
      if (s.params.includes('resolve'))
        resolverFindings(
          stack,
          inherited([http, u.block ?? []], 'resolver') ?? httpResolver,
          d,
          `"server ${s.host} … resolve"`,
          out,
        );
      else if (!watcher)
        out.push({
          code: 'SK2001',
          ...at(d),
          message: `upstream "${u.args[0]}": "server ${d.args[0]}" is resolved once when nginx starts: replicas added or replaced later never get traffic (use "resolver 127.0.0.11 valid=10s" with a variable in proxy_pass, or the "resolve" parameter)`,
        });
    }
  };
  const checked = new Set<XDirective>();
  for (const p of proxyPasses(http)) {
    const group = ups.get(p.host);
    if (group) {
      if (!checked.has(group)) checkUpstream(group);
      checked.add(group);
      continue;
    }
    if (p.dynamic) {
      const host = p.host;
      if (!host.includes('$') && (isIpLiteral(host) || isLoopback(host))) continue;
      if (mapsToGroups(http, host, ups)) continue;
      resolverFindings(
        stack,
        inherited(p.levels, 'resolver'),
        p.d,
        `"proxy_pass ${p.d.args[0]}" (a variable)`,
        out,
      );
    } else if (stack.hostnames.has(p.host) && !watcher) {
      out.push({
        code: 'SK2001',
        ...at(p.d),
        message: `"proxy_pass ${p.d.args[0]}" resolves "${p.host}" once when nginx starts: replicas added or replaced later never get traffic (use "resolver 127.0.0.11 valid=10s" and a variable: set $up ${p.host}; proxy_pass ${p.scheme}://$up…)`,
      });
    }
  }
  for (const u of ups.values()) if (!checked.has(u)) checkUpstream(u);
}

const FORWARDING = ['host', 'x-forwarded-for', 'x-forwarded-proto', 'forwarded'];

function headers(http: XDirective[], out: StackFinding[]) {
  const seen = new Set<string>();
  for (const p of proxyPasses(http)) {
    const { headers: set, opaque } = headerLevel(p.levels);
    for (const h of set) {
      const name = (h.args[0] ?? '').toLowerCase();
      const key = `${h.file}:${h.line}`;
      if (FORWARDING.includes(name) && h.args[1] === '' && !seen.has(key)) {
        seen.add(key);
        out.push({
          code: 'SK2021',
          ...at(h),
          message: `"proxy_set_header ${h.args[0]} ''" removes the header: the app loses the ${name === 'host' ? 'host the client asked for' : name === 'x-forwarded-proto' ? 'scheme' : 'client address'}`,
        });
      }
    }
    if (!opaque && !set.some((h) => FORWARDING.includes((h.args[0] ?? '').toLowerCase())))
      out.push({
        code: 'SK2020',
        ...at(p.d),
        message: `"proxy_pass ${p.d.args[0]}" forwards none of Host, X-Forwarded-For, X-Forwarded-Proto: the app sees the upstream name as host and the balancer as the client`,
      });
    if (p.scheme === 'https') {
      const verify = inherited(p.levels, 'proxy_ssl_verify');
      const name = inherited(p.levels, 'proxy_ssl_name');
      const ups = upstreams(http);
      if (verify?.args[0] !== 'on')
        out.push({
          code: 'SK2022',
          ...at(p.d),
          message: `"proxy_pass ${p.d.args[0]}" without "proxy_ssl_verify on": the upstream certificate is never checked, so the TLS hop can be intercepted`,
        });
      else if (!name && (ups.has(p.host) || p.host.includes('$')))
        out.push({
          code: 'SK2022',
          ...at(p.d),
          message: `"proxy_pass ${p.d.args[0]}" verifies the certificate against "${p.host}", not a host name: set "proxy_ssl_name" (and "proxy_ssl_server_name on")`,
        });
    }
  }
}

/** nginx rules: SK2001–SK2003 (resolution), SK2020–SK2022 (proxied locations). */
export function nginxRules(stack: Stack): StackFinding[] {
  const out: StackFinding[] = [];
  for (const b of stack.balancers) {
    for (const http of httpContexts(stack, b)) {
      resolveOnce(stack, b, http, out);
      headers(http, out);
    }
  }
  const seen = new Set<string>();
  return out.filter((f) => {
    const k = `${f.code}:${f.file}:${f.line}`;
    return !seen.has(k) && !!seen.add(k);
  });
}
