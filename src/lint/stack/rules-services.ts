import { behindBalancer, isLoopback, type Target } from './common.js';
import { cannotFail, checkUrl, healthcheckOf } from './health.js';
import { effectiveCommand } from './image.js';
import type { Located, Service, Stack, StackFinding } from './types.js';
import { words } from '../parse.js';
import { loopbackBinds } from './sources.js';
import { walkNginx } from './nginx.js';

/** Environment keys that set the address a server binds (not the address of something it calls). */
const LISTEN_KEY =
  /^(HOST|APP_HOST|SERVER_HOST|HTTP_HOST|WEB_HOST|FLASK_RUN_HOST|UVICORN_HOST|NUXT_HOST|NITRO_HOST|ADDR|ADDRESS|HTTP_ADDR|SERVER_ADDR|SERVER_ADDRESS|ASPNETCORE_URLS|URLS|GUNICORN_BIND|HOSTADDR)$|(^|_)(BIND|LISTEN)(_|$)/i;
/** Command flags that take the address to bind. */
const LISTEN_FLAG = /^(--host|-h|--bind|-b|--listen|-l|--addr|--address|--ip|-S|-H|--hostname|--http)$/;

function loopbackValue(v: string): boolean {
  return v.split(/[\s,;]+/).some((part) => {
    const url = /^[a-z]+:\/\/([^/]+)/i.exec(part);
    const hostport = url ? url[1] : part;
    const m = /^(\[[^\]]*\]|[^:]+|::1)(?::\d+)?$/.exec(hostport);
    return !!m && isLoopback(m[1]);
  });
}

/** Words of a command, with an `sh -c` script's words added. */
function commandWords(c: Located<string[] | string> | undefined): string[] {
  if (!c) return [];
  const ws = Array.isArray(c.value) ? c.value : words(c.value);
  return ws.flatMap((w) => (/\s/.test(w) ? [w, ...words(w)] : [w]));
}

function loopbackInCommand(ws: string[]): string | undefined {
  for (let k = 0; k < ws.length; k++) {
    const w = ws[k];
    const eq = /^(--?[\w-]+)=(.*)$/.exec(w);
    if (eq && LISTEN_FLAG.test(eq[1]) && loopbackValue(eq[2])) return w;
    if (LISTEN_FLAG.test(w) && ws[k + 1] !== undefined && loopbackValue(ws[k + 1]))
      return `${w} ${ws[k + 1]}`;
    if (/^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/.test(w)) return w;
  }
  return undefined;
}

/** nginx `listen 127.0.0.1:PORT` on a port traffic comes to (a local-only status server is fine). */
function nginxListens(
  stack: Stack,
  s: Service,
  served: Set<string>,
): { file: string; line: number; text: string }[] {
  const out = [];
  for (const b of stack.balancers.filter((x) => x.service === s))
    for (const f of b.nginx)
      for (const { d } of walkNginx(f.directives)) {
        const m = d.name === 'listen' ? /^(\[[^\]]*\]|[^:]+):(\d+)$/.exec(d.args[0] ?? '') : null;
        if (m && isLoopback(m[1]) && served.has(m[2]))
          out.push({ file: f.file, line: d.line, text: `listen ${d.args[0]}` });
      }
  return out;
}

function loopback(stack: Stack, s: Service, ts: Target[] | undefined, out: StackFinding[]) {
  const env = new Map(s.imageInfo?.env ?? []);
  for (const [k, v] of s.environment) env.set(k, v);
  for (const [k, v] of env)
    if (LISTEN_KEY.test(k) && loopbackValue(v.value))
      out.push({
        code: 'SK1001',
        file: v.file,
        line: v.line,
        message: `service "${s.name}" listens on ${k}=${v.value}: only its own container can reach it, so the load balancer gets "connection refused" (502) while in-container health checks pass (bind 0.0.0.0)`,
      });
  const { entrypoint: ep, command: cmd } = effectiveCommand(s.entrypoint, s.command, s.imageInfo);
  const served = new Set([
    ...s.ports.map((p) => p.target),
    ...(ts ?? []).flatMap((t) => (t.port ? [t.port] : [])),
  ]);
  for (const b of [
    ...loopbackBinds(stack, s, env, [...commandWords(ep), ...commandWords(cmd)]),
    ...nginxListens(stack, s, served),
  ])
    out.push({
      code: 'SK1001',
      file: b.file,
      line: b.line,
      message: `service "${s.name}" listens on loopback ("${b.text}"): only its own container can reach it, so the load balancer gets "connection refused" (502) (bind 0.0.0.0)`,
    });
  const { entrypoint, command } = effectiveCommand(s.entrypoint, s.command, s.imageInfo);
  for (const c of [entrypoint, command]) {
    const hit = loopbackInCommand(commandWords(c));
    if (c && hit)
      out.push({
        code: 'SK1001',
        file: c.file,
        line: c.line,
        message: `service "${s.name}" listens on loopback ("${hit}"): only its own container can reach it, so the load balancer gets "connection refused" (502) (bind 0.0.0.0)`,
      });
  }
}

function scaling(s: Service, behind: boolean, out: StackFinding[]) {
  const n = s.replicas?.value ?? 1;
  if (n <= 1 && !behind) return;
  const why = n > 1 ? `runs ${n} replicas` : 'is balanced by the load balancer (meant to scale)';
  if (s.containerName)
    out.push({
      code: 'SK4001',
      file: s.containerName.file,
      line: s.containerName.line,
      message: `service "${s.name}" ${why} but has container_name "${s.containerName.value}": a second replica cannot start (names are unique)`,
    });
  for (const p of s.ports)
    if (p.published && !/^(\[[^\]]*\]:|[\d.]+:)?\d+-\d+$/.test(p.published))
      out.push({
        code: 'SK4002',
        file: p.file,
        line: p.line,
        message: `service "${s.name}" ${why} but publishes the fixed host port ${p.published}: a second replica fails with "port is already allocated"`,
      });
}

function health(s: Service, ts: Target[], out: StackFinding[]) {
  const h = healthcheckOf(s);
  if (!h || h.disable) {
    const where = h?.disable
      ? 'it is disabled'
      : s.imageInfo
        ? 'neither in compose nor in its image'
        : `none in compose, and its image ${s.image ?? ''} is not built here`;
    out.push({
      code: 'SK4010',
      ...s.at,
      message: `service "${s.name}" is behind the load balancer but has no health check (${where}): nothing tells when a replica is ready or broken`,
    });
    return;
  }
  const why = cannotFail(h);
  if (why) {
    out.push({
      code: 'SK4011',
      file: h.file,
      line: h.line,
      message: `the health check of "${s.name}" cannot fail: ${why}`,
    });
    return;
  }
  const url = checkUrl(h);
  const lbPorts = ts.flatMap((t) => (t.port ? [t.port] : []));
  if (!url || !lbPorts.length || !isLoopback(url.host)) return;
  const port = url.port ?? '80';
  const known = new Set([...lbPorts, ...(s.imageInfo?.expose ?? [])]);
  const env = new Map([...(s.imageInfo?.env ?? []), ...s.environment]);
  for (const [k, v] of env) if (/PORT/i.test(k) && /^\d+$/.test(v.value)) known.add(v.value);
  if (!known.has(port))
    out.push({
      code: 'SK4011',
      file: h.file,
      line: h.line,
      message: `the health check of "${s.name}" tests port ${port}, which the app does not serve (the load balancer uses ${[...new Set(lbPorts)].join(', ')}): it fails or passes regardless of the app`,
    });
}

/** Service rules: SK1001 (loopback), SK4001/SK4002 (scaling), SK4010/SK4011 (health checks). */
export function serviceRules(stack: Stack): StackFinding[] {
  const out: StackFinding[] = [];
  const behind = behindBalancer(stack);
  for (const s of stack.services.values()) {
    const ts = behind.get(s);
    if (ts || s.ports.some((p) => p.published)) loopback(stack, s, ts, out);
    scaling(s, !!ts, out);
    if (ts) health(s, ts, out);
  }
  return out;
}
