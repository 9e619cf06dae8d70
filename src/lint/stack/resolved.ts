import { posix, relative, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { detectCompose } from '../../docker/cli.js';
import { readCompose, type ComposeConfig, type Exec, type ServiceConfig } from '../../compose/model.js';
import { yamlCompose, type ComposeReader } from './compose.js';
import { readInside } from './files.js';
import type { At, Feed, Located, Port, Service } from './types.js';

/** A scalar of compose's model as text; a map or list as JSON. */
function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

function envMap(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(v))
    for (const item of v) {
      const s = str(item) ?? '';
      const eq = s.indexOf('=');
      if (eq > 0) out.set(s.slice(0, eq), s.slice(eq + 1));
    }
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out.set(k, str(x) ?? '');
  return out;
}

function words(v: unknown): string[] | string | undefined {
  if (Array.isArray(v)) return v.map((x) => str(x) ?? '');
  return str(v);
}

/** v2 prints ports long-form, v1 as `host:container/proto` strings. */
function portsOf(v: unknown): { published?: string; target: string }[] {
  if (!Array.isArray(v)) return [];
  return v.map((p) => {
    if (p && typeof p === 'object') {
      const o = p as Record<string, unknown>;
      const published = str(o.published);
      const ip = str(o.host_ip);
      return {
        target: str(o.target) ?? '',
        published: published ? (ip ? `${ip}:${published}` : published) : undefined,
      };
    }
    const m = /^(?:(\d+\.\d+\.\d+\.\d+|\[[^\]]*\]):)?(?:([^:]*):)?([^:/]+)(?:\/\w+)?$/.exec(str(p) ?? '');
    return { target: m?.[3] ?? '', published: m?.[2] ? (m[1] ? `${m[1]}:${m[2]}` : m[2]) : undefined };
  });
}

/** Bind mounts: v2 `{type: bind, source, target}`, v1 `/abs/src:/target[:mode]`. */
function bindsOf(v: unknown): { source: string; target: string }[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((m) => {
    if (m && typeof m === 'object') {
      const o = m as Record<string, unknown>;
      return o.type === 'bind' && typeof o.source === 'string' && typeof o.target === 'string'
        ? [{ source: o.source, target: o.target }]
        : [];
    }
    const parts = (str(m) ?? '').split(':');
    return parts.length >= 2 && parts[0].startsWith('/') ? [{ source: parts[0], target: parts[1] }] : [];
  });
}

function located<T>(value: T, at: At | undefined, fallback: At): Located<T> {
  return { value, file: (at ?? fallback).file, line: (at ?? fallback).line };
}

/** One service of compose's model, with the lines of what the YAML reading found (`y`). */
function overlay(
  name: string,
  cfg: ServiceConfig,
  y: Service | undefined,
  fallback: At,
  root: string,
): Service {
  const at = y?.at ?? fallback;
  const s: Service = {
    name,
    at,
    environment: new Map(),
    ports: [],
    aliases: [],
    feeds: [],
    image: cfg.image,
  };
  for (const [k, v] of envMap(cfg.environment)) s.environment.set(k, located(v, y?.environment.get(k), at));
  for (const key of ['command', 'entrypoint'] as const) {
    const v = words(cfg[key]);
    if (v !== undefined) s[key] = located(v, y?.[key], at);
  }
  const cn = str(cfg.container_name);
  if (cn) s.containerName = located(cn, y?.containerName, at);
  s.hostname = str(cfg.hostname);
  const deploy = cfg.deploy as { replicas?: unknown } | undefined;
  const replicas = Number(str(deploy?.replicas) ?? str(cfg.scale));
  if (Number.isFinite(replicas) && (deploy?.replicas !== undefined || cfg.scale !== undefined))
    s.replicas = located(replicas, y?.replicas, at);
  const ports = portsOf(cfg.ports);
  s.ports = ports.map((p, k): Port => {
    const yp =
      y && (y.ports.length === ports.length ? y.ports[k] : y.ports.find((q) => q.target === p.target));
    return { ...p, file: (yp ?? at).file, line: (yp ?? at).line };
  });
  const hc = cfg.healthcheck as { test?: unknown; disable?: unknown } | undefined;
  if (hc)
    s.healthcheck = {
      file: (y?.healthcheck ?? at).file,
      line: (y?.healthcheck ?? at).line,
      test: words(hc.test),
      disable: hc.disable === true || (Array.isArray(hc.test) && hc.test[0] === 'NONE'),
    };
  if (cfg.build && !/^[a-z]+:\/\//.test(cfg.build.context)) {
    const context = resolve(root, cfg.build.context);
    s.build = {
      context,
      dockerfile: resolve(context, cfg.build.dockerfile ?? 'Dockerfile'),
      at: y?.build?.at ?? at,
    };
  }
  for (const b of bindsOf(cfg.volumes)) {
    const target = posix.normalize(b.target);
    const yf = y?.feeds.find((f) => f.target === target && f.source);
    s.feeds.push({
      source: b.source,
      target,
      at: yf?.at ?? at,
      written: yf?.written ?? relative(root, b.source),
    });
  }
  s.feeds.push(
    ...(y?.feeds.filter((f: Feed) => !f.source || f.written.includes(':')) ?? []).filter(
      (f) => !s.feeds.some((g) => g.target === f.target),
    ),
  );
  const nets = cfg.networks;
  if (nets && !Array.isArray(nets))
    for (const n of Object.values(nets)) {
      const aliases = (n as { aliases?: unknown } | null)?.aliases;
      if (Array.isArray(aliases)) s.aliases.push(...aliases.map((a) => str(a) ?? ''));
    }
  return s;
}

/**
 * A reader that takes values from compose's resolved model (interpolation, `extends`, `include`,
 * `env_file`, every `-f` merged as compose merges them) and lines from the files' YAML.
 */
export function resolvedReader(model: ComposeConfig, root: string): ComposeReader {
  return {
    read(files, env) {
      const base = yamlCompose.read(files, env);
      if (base.findings.length) return base; // a file that does not parse: compose could not have read it
      const fallback = { file: files[0]?.rel ?? 'compose.yaml', line: 1 };
      const services = new Map<string, Service>();
      for (const [name, cfg] of Object.entries(model.services))
        services.set(name, overlay(name, cfg, base.services.get(name), fallback, root));
      return { ...base, services };
    },
  };
}

/** compose features the plain YAML reading does not follow (it does follow `${…}` and several `-f`). */
const NEEDS_COMPOSE = /^\s*(extends|include|env_file|<<)\s*:/m;

/**
 * Whether the files need compose itself: `extends`, `include`, `env_file` or YAML merge keys. Without them, reading the
 * YAML (interpolation from the environment and `.env`, `-f` files merged in order) gives the same
 * services in a few ms, while `docker-compose config` (v1, Python) alone costs 0.5–0.8 s.
 */
export function needsCompose(texts: string[]): boolean {
  return texts.some((t) => NEEDS_COMPOSE.test(t));
}

/**
 * Asks compose for the resolved model (`docker compose config --format json` / `docker-compose config`).
 * Returns the reader to use and, when compose is missing or rejects the files (an unset `${VAR:?}` in
 * CI, say), why the files are read as plain YAML instead.
 */
export async function composeReader(
  root: string,
  files: string[],
  env: Record<string, string | undefined>,
  exec?: Exec,
): Promise<{ reader: ComposeReader; fallback?: string }> {
  const texts = files
    .map((f) => readInside(root, f, 16 * 1024 * 1024))
    .flatMap((r) => (r.ok ? [r.text] : []));
  if (!needsCompose(texts)) return { reader: yamlCompose };
  let cmd;
  try {
    cmd = await detectCompose();
  } catch {
    return {
      reader: yamlCompose,
      fallback:
        'no compose binary (docker compose / docker-compose): compose files read as plain YAML (extends, include and env_file not followed)',
    };
  }
  try {
    const r = await readCompose({
      cmd,
      files: files.map((f) => resolve(root, f)),
      display: files,
      projectDir: root,
      env: { ...env },
      exec,
    });
    return { reader: resolvedReader(r.model, root) };
  } catch (err: unknown) {
    const why = err instanceof UserError ? err.message : String(err);
    return {
      reader: yamlCompose,
      fallback: `compose could not resolve ${files.join(', ')} (${why.split('\n')[0].slice(0, 200)}): read as plain YAML`,
    };
  }
}
