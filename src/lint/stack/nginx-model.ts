import { posix } from 'node:path';
import { readInside } from './files.js';
import { parseNginx, type Directive } from './nginx.js';
import type { Balancer, Stack } from './types.js';

/** A directive with the file it comes from (after `include` is inlined). */
export interface XDirective {
  name: string;
  args: string[];
  line: number;
  file: string;
  block?: XDirective[];
  /** An `include` that could not be followed (a file of the image, not of the project). */
  opaque?: boolean;
}

/** Where the stock nginx.conf puts conf.d files and where the official image writes templates. */
function effectiveTarget(target: string): string {
  const m = /^\/etc\/nginx\/templates\/(.+)\.template$/.exec(target);
  return m ? `/etc/nginx/conf.d/${m[1]}` : target;
}

function globRe(pattern: string): RegExp {
  return new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]') +
      '$',
  );
}

/** The http-level directive lists of a balancer's nginx files, includes inlined. */
export function httpContexts(stack: Stack, b: Balancer): XDirective[][] {
  const byTarget = new Map(b.nginx.map((f) => [effectiveTarget(f.target), f]));
  const included = new Set<string>();
  const cache = new Map<string, { file: string; directives: Directive[] } | undefined>();
  const load = (target: string) => {
    if (cache.has(target)) return cache.get(target);
    let out: { file: string; directives: Directive[] } | undefined;
    const known = byTarget.get(target);
    if (known) out = { file: known.file, directives: known.directives };
    else {
      const hit = b.files.get(target);
      const r = hit && readInside(stack.root, hit.source, stack.options.maxFileSize);
      const p = r && r.ok ? parseNginx(r.text) : undefined;
      if (r && r.ok && p?.ok) out = { file: posix.relative(process.cwd(), r.path), directives: p.directives };
    }
    cache.set(target, out);
    return out;
  };
  const expand = (list: Directive[], file: string, depth: number): XDirective[] =>
    list.flatMap((d): XDirective[] => {
      if (d.name === 'include' && d.args[0] && depth < 8) {
        const pattern = posix.resolve('/etc/nginx', d.args[0]);
        const re = globRe(pattern);
        const targets = [...new Set([...b.files.keys()].map(effectiveTarget))]
          .filter((t) => re.test(t))
          .sort();
        const loaded = targets.map((t) => ({ t, l: load(t) })).filter((x) => x.l);
        loaded.forEach((x) => included.add(x.t));
        const opaque = loaded.length === 0 && !/\*/.test(d.args[0]) && !/mime\.types$/.test(d.args[0]);
        return [
          { name: d.name, args: d.args, line: d.line, file, opaque },
          ...loaded.flatMap((x) => expand(x.l!.directives, x.l!.file, depth + 1)),
        ];
      }
      return [
        { name: d.name, args: d.args, line: d.line, file, block: d.block && expand(d.block, file, depth) },
      ];
    });
  const expanded = b.nginx.map((f) => ({
    target: effectiveTarget(f.target),
    list: expand(f.directives, f.file, 0),
  }));
  const out: XDirective[][] = [];
  for (const e of expanded) {
    if (included.has(e.target)) continue;
    const http = e.list.filter((d) => d.name === 'http' && d.block);
    if (http.length) out.push(...http.map((h) => h.block!));
    else if (!e.list.some((d) => d.name === 'events')) out.push(e.list);
  }
  return out;
}

/** The innermost directive named `name` along a chain of levels (nginx inheritance for simple directives). */
export function inherited(levels: XDirective[][], name: string): XDirective | undefined {
  for (let k = levels.length - 1; k >= 0; k--) {
    const found = levels[k].filter((d) => d.name === name);
    if (found.length) return found[found.length - 1];
  }
  return undefined;
}

/** The `proxy_set_header` level that applies (nginx inherits them only when a level sets none). */
export function headerLevel(levels: XDirective[][]): { headers: XDirective[]; opaque: boolean } {
  for (let k = levels.length - 1; k >= 0; k--) {
    const headers = levels[k].filter((d) => d.name === 'proxy_set_header');
    const opaque = levels[k].some((d) => d.opaque);
    if (headers.length || opaque) return { headers, opaque };
  }
  return { headers: [], opaque: false };
}

export interface ProxyPass {
  d: XDirective;
  /** http levels: [http, server, location…] directive lists. */
  levels: XDirective[][];
  scheme: string;
  /** Host with `set` variables substituted where known; contains `$` when still dynamic. */
  host: string;
  port?: string;
  dynamic: boolean;
  server: XDirective;
}

/** Every `proxy_pass` to http(s) under `server` blocks of an http context. */
export function proxyPasses(http: XDirective[]): ProxyPass[] {
  const out: ProxyPass[] = [];
  const visit = (list: XDirective[], levels: XDirective[][], server: XDirective) => {
    for (const d of list) {
      if (d.name === 'proxy_pass' && d.args[0]) {
        const sets = new Map<string, string>();
        for (const lv of levels)
          for (const s of lv) if (s.name === 'set' && s.args.length >= 2) sets.set(s.args[0], s.args[1]);
        const url = d.args[0].replace(
          /\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?/g,
          (m, v: string) => sets.get('$' + v) ?? m,
        );
        const m = /^(https?):\/\/([^/]*)/.exec(url);
        if (m && !m[2].startsWith('unix:')) {
          const hp = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(m[2]);
          const host = hp?.[1] ?? m[2];
          out.push({
            d,
            levels,
            scheme: m[1],
            host,
            port: hp?.[2],
            dynamic: d.args[0].includes('$'),
            server,
          });
        } else if (/^\$/.test(url)) out.push({ d, levels, scheme: 'http', host: url, dynamic: true, server });
      }
      if (d.block && (d.name === 'location' || d.name === 'if' || d.name === 'limit_except'))
        visit(d.block, [...levels, d.block], server);
    }
  };
  for (const s of http) if (s.name === 'server' && s.block) visit(s.block, [http, s.block], s);
  return out;
}

/** `upstream` blocks of an http context by name. */
export function upstreams(http: XDirective[]): Map<string, XDirective> {
  return new Map(
    http.filter((d) => d.name === 'upstream' && d.block && d.args[0]).map((d) => [d.args[0], d]),
  );
}

/** An upstream `server` line: its host, port and parameters. */
export function upstreamServer(d: XDirective): { host: string; port?: string; params: string[] } {
  const addr = d.args[0] ?? '';
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(addr);
  return { host: m?.[1] ?? addr, port: m?.[2], params: d.args.slice(1) };
}
