import { isIpLiteral, isLoopback } from './common.js';
import { splitAddress, type HaLine, type HaSection } from './haproxy.js';
import { healthPath } from './health.js';
import type { HaproxyFile, Stack, StackFinding } from './types.js';

interface Server {
  line: HaLine;
  template: boolean;
  host: string;
  params: string[];
}

/** The `defaults` section a proxy section takes its defaults from (the last one before it). */
function defaultsOf(file: HaproxyFile, sec: HaSection): HaSection | undefined {
  let d: HaSection | undefined;
  for (const s of file.sections) {
    if (s === sec) break;
    if (s.kind === 'defaults') d = s;
  }
  return d;
}

function servers(sec: HaSection): Server[] {
  return sec.lines.flatMap((l): Server[] => {
    if (l.words[0] === 'server' && l.words[2])
      return [{ line: l, template: false, host: splitAddress(l.words[2]).host, params: l.words.slice(3) }];
    if (l.words[0] === 'server-template' && l.words[3])
      return [{ line: l, template: true, host: splitAddress(l.words[3]).host, params: l.words.slice(4) }];
    return [];
  });
}

/** `default-server` parameters of the section and of its defaults. */
function defaultParams(sec: HaSection, defaults?: HaSection): string[] {
  return [...(defaults?.lines ?? []), ...sec.lines]
    .filter((l) => l.words[0] === 'default-server')
    .flatMap((l) => l.words.slice(1));
}

/** The last value a keyword takes, a later `no-x` cancelling an earlier `x`. */
const on = (params: string[], word: string) => params.lastIndexOf(word) > params.lastIndexOf(`no-${word}`);

function has(sec: HaSection, defaults: HaSection | undefined, test: (w: string[]) => boolean): boolean {
  return [...(defaults?.lines ?? []), ...sec.lines].some((l) => test(l.words));
}

function mode(sec: HaSection, defaults?: HaSection): string {
  const lines = [...(defaults?.lines ?? []), ...sec.lines].filter((l) => l.words[0] === 'mode');
  return lines.length ? lines[lines.length - 1].words[1] : 'tcp';
}

/** HAProxy rules: SK3001 (fixed addresses), SK3002 (no check), SK3003 (TCP check only). */
export function haproxyRules(stack: Stack): StackFinding[] {
  const out: StackFinding[] = [];
  for (const b of stack.balancers)
    for (const f of b.haproxy)
      for (const sec of f.sections) {
        if (sec.kind !== 'backend' && sec.kind !== 'listen') continue;
        const defaults = defaultsOf(f, sec);
        const dflt = defaultParams(sec, defaults);
        let httpchkReported = false;
        for (const s of servers(sec)) {
          const at = { file: f.file, line: s.line.line };
          const service = stack.hostnames.get(s.host);
          const params = [...dflt, ...s.params];
          const resolvers = params.includes('resolvers');
          if (isLoopback(s.host) || (!service && !isIpLiteral(s.host))) continue;
          if (!service)
            out.push({
              code: 'SK3001',
              ...at,
              message: `server ${s.line.words[1]} has the fixed address ${s.host}: container addresses change on every restart and scale-up (use server-template with "resolvers" and the service name)`,
            });
          else if (!resolvers)
            out.push({
              code: 'SK3001',
              ...at,
              message: `${s.template ? 'server-template' : 'server'} "${s.host}" without "resolvers" is resolved once at start: replicas added or replaced later never get traffic (use server-template … ${s.host}:port check resolvers docker)`,
            });
          else if (!s.template && (service.replicas?.value ?? 1) > 1)
            out.push({
              code: 'SK3001',
              ...at,
              message: `one "server" line follows one address, but service "${service.name}" runs ${service.replicas?.value} replicas: only one gets traffic (use server-template)`,
            });
          if (!on(params, 'check'))
            out.push({
              code: 'SK3002',
              ...at,
              message: `${s.template ? 'server-template' : 'server'} ${s.line.words[1]} has no "check": HAProxy keeps sending requests to replicas that are stopping or down`,
            });
          else if (service && !httpchkReported && mode(sec, defaults) === 'http') {
            const path = healthPath(stack, service);
            const httpchk = has(
              sec,
              defaults,
              (w) => (w[0] === 'option' && w[1] === 'httpchk') || w[0] === 'http-check',
            );
            if (path && !httpchk) {
              httpchkReported = true;
              out.push({
                code: 'SK3003',
                ...at,
                message: `"check" only tests the TCP port while "${service.name}" has the health path ${path}: a replica answering errors or draining keeps traffic (add "option httpchk GET ${path}")`,
              });
            }
          }
        }
      }
  return out;
}
