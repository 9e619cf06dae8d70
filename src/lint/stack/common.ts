import { net } from '../../core/builtins.js';
import { httpContexts, proxyPasses, upstreams, upstreamServer } from './nginx-model.js';
import { splitAddress } from './haproxy.js';
import type { At, Balancer, Service, Stack } from './types.js';

const unbracket = (h: string) => h.replace(/^\[(.*)\]$/, '$1');

/** 127.0.0.0/8, ::1 and localhost (what only the container itself can reach). */
export function isLoopback(host: string): boolean {
  const h = unbracket(host).toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '0:0:0:0:0:0:0:1';
}

export function isIpLiteral(host: string): boolean {
  return net().isIP(unbracket(host)) !== 0;
}

/** A service the load balancer sends traffic to, and where. */
export interface Target {
  service: Service;
  port?: string;
  at: At;
  balancer: Balancer;
}

/** Every (balancer → service) edge: nginx upstream servers and proxy_pass hosts, HAProxy servers. */
export function targets(stack: Stack): Target[] {
  const out: Target[] = [];
  const add = (b: Balancer, host: string, port: string | undefined, at: At) => {
    const s = stack.hostnames.get(host);
    if (s && s !== b.service) out.push({ service: s, port, at, balancer: b });
  };
  for (const b of stack.balancers) {
    for (const http of httpContexts(stack, b)) {
      const ups = upstreams(http);
      for (const u of ups.values())
        for (const d of u.block ?? [])
          if (d.name === 'server') {
            const s = upstreamServer(d);
            add(b, s.host, s.port, d);
          }
      for (const p of proxyPasses(http)) if (!ups.has(p.host)) add(b, p.host, p.port, p.d);
    }
    for (const f of b.haproxy)
      for (const sec of f.sections)
        for (const l of sec.lines) {
          const addr =
            l.words[0] === 'server' ? l.words[2] : l.words[0] === 'server-template' ? l.words[3] : undefined;
          if (!addr) continue;
          const { host, port } = splitAddress(addr);
          add(b, host, port, { file: f.file, line: l.line });
        }
  }
  return out;
}

/** Services some load balancer proxies to. */
export function behindBalancer(stack: Stack): Map<Service, Target[]> {
  const m = new Map<Service, Target[]>();
  for (const t of targets(stack)) m.set(t.service, [...(m.get(t.service) ?? []), t]);
  return m;
}

/** A shell script's last command line (comments and blank lines skipped), with its 1-based line. */
export function lastCommandLine(text: string): { text: string; line: number } | undefined {
  const lines = text.split('\n');
  for (let k = lines.length - 1; k >= 0; k--) {
    const t = lines[k].replace(/(^|\s)#.*$/, '').trim();
    if (t) return { text: t, line: k + 1 };
  }
  return undefined;
}
