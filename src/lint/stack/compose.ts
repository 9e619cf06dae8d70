import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { posix, resolve } from 'node:path';
import type { At, Feed, Healthcheck, Located, Port, Service, StackFinding } from './types.js';

/**
 * The compose model lint reads: services with the file and line of every part. `yamlCompose` reads
 * the files itself (interpolation of `${VAR:-default}` from the environment and `.env`, `-f`
 * overlays merged in order); a reader that asks compose for the resolved model can replace it.
 */
export interface ComposeReader {
  read(
    files: { path: string; rel: string; text: string }[],
    env: Record<string, string | undefined>,
  ): ComposeRead;
}

export interface ComposeRead {
  services: Map<string, Service>;
  findings: StackFinding[];
  /** Top-level `configs:` / `secrets:` with `file:` (name → host path as written). */
  fileObjects: Map<string, string>;
}

/** `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `$VAR` and `$$`, as compose interpolates. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, name?: string, op?: string, arg?: string, bare?: string) => {
      if (m === '$$') return '$';
      if (bare) return env[bare] ?? '';
      const v = env[name as string];
      const empty = v === undefined || (op?.startsWith(':') && v === '');
      if (op === ':-' || op === '-') return empty ? interpolate(arg ?? '', env) : v;
      if (op === ':+' || op === '+') return empty ? '' : interpolate(arg ?? '', env);
      return v ?? '';
    },
  );
}

class Reader {
  constructor(
    private lc: LineCounter,
    readonly rel: string,
    private env: Record<string, string | undefined>,
  ) {}
  line(node: Node | null | undefined, fallback = 1): number {
    const off = node?.range?.[0];
    return off === undefined ? fallback : this.lc.linePos(off).line;
  }
  at(node: Node | null | undefined, fallback = 1): At {
    return { file: this.rel, line: this.line(node, fallback) };
  }
  str(node: unknown): string | undefined {
    if (!isScalar(node)) return undefined;
    const v = node.value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint')
      return undefined;
    return interpolate(String(v), this.env);
  }
  /** A string or a list of strings, interpolated. */
  words(node: unknown): string[] | string | undefined {
    if (isSeq(node)) return node.items.map((i) => this.str(i) ?? '');
    return this.str(node);
  }
  pairs(map: unknown): { key: string; keyNode: Node; value: Node | null }[] {
    if (!isMap(map)) return [];
    return map.items.flatMap((p) =>
      isScalar(p.key)
        ? [{ key: String(p.key.value), keyNode: p.key as Node, value: p.value as Node | null }]
        : [],
    );
  }
}

function environment(r: Reader, node: Node | null, out: Map<string, Located<string>>) {
  if (isSeq(node)) {
    for (const item of node.items) {
      const s = r.str(item);
      if (s === undefined) continue;
      const eq = s.indexOf('=');
      if (eq > 0) out.set(s.slice(0, eq), { value: s.slice(eq + 1), ...r.at(item as Node) });
    }
  } else for (const p of r.pairs(node)) out.set(p.key, { value: r.str(p.value) ?? '', ...r.at(p.keyNode) });
}

function ports(r: Reader, node: Node | null): Port[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item): Port[] => {
    const at = r.at(item as Node);
    if (isMap(item)) {
      const target = r.str(item.get('target', true)) ?? '';
      const published = r.str(item.get('published', true));
      return [{ ...at, target, published: published || undefined }];
    }
    const s = r.str(item);
    if (s === undefined) return [];
    // [ip:]host:container[/proto]; IPv6 host IPs come in brackets
    const body = s.replace(/\/(tcp|udp|sctp)$/, '');
    const m = /^(?:(\[[^\]]*\]|\d+\.\d+\.\d+\.\d+):)?(?:([^:]*):)?([^:]+)$/.exec(body);
    if (!m) return [{ ...at, target: body }];
    return [{ ...at, target: m[3], published: m[2] ? (m[1] ? `${m[1]}:${m[2]}` : m[2]) : undefined }];
  });
}

function healthcheck(r: Reader, keyNode: Node, node: Node | null): Healthcheck {
  if (!isMap(node)) return { ...r.at(keyNode), disable: false };
  const testNode = node.get('test', true) as Node | undefined;
  // findings about the check point at its `test:` line
  const at = testNode ? r.at(testNode) : r.at(keyNode);
  const test = r.words(testNode);
  const disable = r.str(node.get('disable', true)) === 'true' || (Array.isArray(test) && test[0] === 'NONE');
  return { ...at, test, disable };
}

/** `src:dst[:mode]` or the long syntax; named volumes have no source path. */
function volumes(r: Reader, node: Node | null, base: string): Feed[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item): Feed[] => {
    const at = r.at(item as Node);
    let src: string | undefined;
    let dst: string | undefined;
    if (isMap(item)) {
      if ((r.str(item.get('type', true)) ?? 'volume') !== 'bind') return [];
      src = r.str(item.get('source', true));
      dst = r.str(item.get('target', true));
    } else {
      const s = r.str(item);
      if (!s) return [];
      const parts = s.split(':');
      if (parts.length < 2) return [];
      [src, dst] = parts;
    }
    if (!src || !dst) return [];
    const isPath = /^(\.|\/|~)/.test(src);
    if (!isPath) return [];
    return [{ source: resolve(base, src), target: posix.normalize(dst), at, written: src }];
  });
}

function service(
  r: Reader,
  name: string,
  keyNode: Node,
  node: Node | null,
  base: string,
  prev?: Service,
): Service {
  const s: Service = prev ?? {
    name,
    at: r.at(keyNode),
    environment: new Map(),
    ports: [],
    aliases: [],
    feeds: [],
  };
  if (!isMap(node)) return s;
  for (const { key, keyNode: k, value } of r.pairs(node)) {
    const at = r.at(k);
    switch (key) {
      case 'image':
        s.image = r.str(value);
        break;
      case 'build': {
        const b = isMap(value) ? value : undefined;
        const ctx = b ? (r.str(b.get('context', true)) ?? '.') : r.str(value);
        if (ctx === undefined || /^[a-z]+:\/\//.test(ctx) || ctx.includes('.git#')) break;
        if (b?.has('dockerfile_inline')) break;
        const dockerfile = (b && r.str(b.get('dockerfile', true))) || 'Dockerfile';
        s.build = { context: resolve(base, ctx), dockerfile: resolve(base, ctx, dockerfile), at };
        break;
      }
      case 'command':
      case 'entrypoint': {
        const v = r.words(value);
        if (v !== undefined) s[key] = { value: v, ...r.at(value, at.line) };
        break;
      }
      case 'environment':
        environment(r, value, s.environment);
        break;
      case 'ports':
        s.ports.push(...ports(r, value));
        break;
      case 'container_name': {
        const v = r.str(value);
        if (v) s.containerName = { value: v, ...at };
        break;
      }
      case 'hostname':
        s.hostname = r.str(value);
        break;
      case 'scale': {
        const n = Number(r.str(value));
        if (Number.isFinite(n)) s.replicas = { value: n, ...at };
        break;
      }
      case 'deploy': {
        const rep = isMap(value) ? value.get('replicas', true) : undefined;
        const n = Number(r.str(rep));
        if (rep !== undefined && Number.isFinite(n)) s.replicas = { value: n, ...r.at(rep) };
        break;
      }
      case 'healthcheck':
        s.healthcheck = healthcheck(r, k, value);
        break;
      case 'volumes':
        s.feeds.push(...volumes(r, value, base));
        break;
      case 'networks':
        for (const n of r.pairs(value)) {
          const aliases = isMap(n.value) ? n.value.get('aliases', true) : undefined;
          if (isSeq(aliases)) s.aliases.push(...aliases.items.flatMap((a) => r.str(a) ?? []));
        }
        break;
      case 'configs':
      case 'secrets':
        if (isSeq(value))
          for (const item of value.items) {
            const src = isMap(item) ? r.str(item.get('source', true)) : r.str(item);
            if (!src) continue;
            const target =
              (isMap(item) && r.str(item.get('target', true))) ||
              (key === 'secrets' ? `/run/secrets/${src}` : `/${src}`);
            const abs = target.startsWith('/')
              ? target
              : key === 'secrets'
                ? `/run/secrets/${target}`
                : `/${target}`;
            s.feeds.push({ target: posix.normalize(abs), at: r.at(item as Node), written: `${key}:${src}` });
          }
        break;
    }
  }
  return s;
}

/** Reads compose YAML itself: positions come from the YAML, values are interpolated here. */
export const yamlCompose: ComposeReader = {
  read(files, env) {
    const services = new Map<string, Service>();
    const findings: StackFinding[] = [];
    const fileObjects = new Map<string, string>();
    for (const f of files) {
      const lc = new LineCounter();
      const doc = parseDocument(f.text, {
        lineCounter: lc,
        uniqueKeys: true,
        prettyErrors: false,
        merge: true,
      });
      if (doc.errors.length > 0) {
        const e = doc.errors[0];
        findings.push({
          code: 'SK0001',
          file: f.rel,
          line: lc.linePos(e.pos[0]).line,
          message: `the compose file does not parse: ${e.message.split('\n')[0]}`,
        });
        continue;
      }
      const r = new Reader(lc, f.rel, env);
      const base = resolve(f.path, '..');
      const top = doc.contents;
      if (top !== null && !isMap(top)) {
        findings.push({
          code: 'SK0001',
          file: f.rel,
          line: r.line(top),
          message: 'the compose file does not parse: the top level is not a mapping',
        });
        continue;
      }
      for (const section of ['configs', 'secrets']) {
        for (const p of r.pairs((top as YAMLMap | null)?.get(section, true))) {
          const file = isMap(p.value) ? r.str(p.value.get('file', true)) : undefined;
          if (file) fileObjects.set(`${section}:${p.key}`, resolve(base, file));
        }
      }
      const svcs = (top as YAMLMap | null)?.get('services', true);
      if (svcs !== undefined && svcs !== null && !isMap(svcs)) {
        findings.push({
          code: 'SK0001',
          file: f.rel,
          line: r.line(svcs),
          message: 'the compose file does not parse: "services" is not a mapping',
        });
        continue;
      }
      for (const p of r.pairs(svcs))
        services.set(p.key, service(r, p.key, p.keyNode, p.value, base, services.get(p.key)));
    }
    for (const s of services.values())
      for (const feed of s.feeds)
        if (!feed.source && fileObjects.has(feed.written)) feed.source = fileObjects.get(feed.written);
    return { services, findings, fileObjects };
  },
};
