/**
 * Compose mode: every service with a `build:` section becomes one image target. Parsed with `yaml`
 * (line numbers for errors); `${VAR}`, `${VAR:-default}`, `${VAR:?message}` and `$$` are interpolated
 * from the environment and the `.env` file beside the compose file, as compose does.
 */
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { UserError } from '../core/errors.js';
import type { Env } from '../platform/context.js';
import type { ImageTarget } from './plan.js';
import { parseRef, repository } from './refs.js';

export interface ComposeOptions {
  /** Path of the compose file (for errors and relative contexts). */
  path: string;
  env: Env;
  project: string;
  /** Only these services (all with `build:` when empty). */
  services: readonly string[];
  /** Extra tag names applied to every service image. */
  tagNames: readonly string[];
  push: boolean;
}

/** Parses a `.env` file: `KEY=value` lines, `#` comments, optional quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (!line || line.startsWith('#') || eq <= 0) continue;
    out[
      line
        .slice(0, eq)
        .replace(/^export\s+/, '')
        .trim()
    ] = line
      .slice(eq + 1)
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** Compose-style interpolation; throws (message only) for `${VAR:?msg}` when VAR is unset or empty. */
export function interpolate(text: string, env: Env): string {
  return text.replace(
    /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (m, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (m === '$$') return '$';
      const name = braced ?? bare!;
      const value = env[name];
      const unset = op?.startsWith(':') ? !value : value === undefined;
      if (op?.endsWith('-')) return unset ? (arg ?? '') : value!;
      if (op?.endsWith('?') && unset)
        throw new Error(`required variable ${name} is not set${arg ? `: ${arg}` : ''}`);
      return value ?? '';
    },
  );
}

type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

/** A YAML scalar as text (`null`/absent → empty); a map or list is shown as JSON rather than `[object Object]`. */
function scalar(v: Plain | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** `KEY: v` map or `KEY=v` list (compose accepts both for args and labels). */
function keyValues(value: Plain | undefined, env: Env): [string, string][] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const s = scalar(item);
      const eq = s.indexOf('=');
      if (eq > 0) return [[s.slice(0, eq), s.slice(eq + 1)] as [string, string]];
      const value = env[s];
      return value === undefined ? [] : [[s, value] as [string, string]];
    });
  }
  if (typeof value === 'object')
    return Object.entries(value).map(([k, v]) => [k, v === null ? (env[k] ?? '') : scalar(v)]);
  return [];
}

/** Reads the compose file text into image targets. Throws `UserError` with file, line and field. */
export function composeTargets(text: string, o: ComposeOptions): ImageTarget[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const lineOf = (node: unknown) => {
    const range = (node as Node | undefined)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new UserError(e.message.split('\n')[0], {
      file: o.path,
      line: e.linePos?.[0].line,
      col: e.linePos?.[0].col,
    });
  }
  const fail = (message: string, field: string, node?: unknown): never => {
    throw new UserError(message, { file: o.path, line: lineOf(node), field });
  };
  const servicesNode = doc.get('services', true);
  if (!isMap(servicesNode)) fail('expected a `services:` map', 'services', servicesNode);
  const dir = dirname(resolve(o.path));
  const wanted = new Set(o.services);
  const targets: ImageTarget[] = [];
  for (const pair of (servicesNode as { items: { key: unknown; value: unknown }[] }).items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    wanted.delete(name);
    if (o.services.length && !o.services.includes(name)) continue;
    const svc = pair.value;
    if (!isMap(svc) || !svc.has('build')) continue;
    const field = `services.${name}`;
    const sub = (s: string): string => {
      try {
        return interpolate(s, o.env);
      } catch (err: unknown) {
        return fail((err as Error).message, field, svc);
      }
    };
    const buildNode = svc.get('build', true);
    const build = (buildNode as { toJSON(): Plain }).toJSON();
    const spec = (typeof build === 'string' ? { context: build } : build) as Record<string, Plain> | null;
    if (!spec || typeof spec !== 'object' || Array.isArray(spec))
      fail('expected `build:` to be a path or a map', `${field}.build`, buildNode);
    const context = resolve(dir, sub(scalar(spec!.context) || '.'));
    const imageNode = svc.get('image', true);
    const imageText =
      imageNode === undefined ? undefined : sub(scalar((imageNode as { toJSON(): Plain }).toJSON()));
    if (!imageText && o.push) {
      fail(
        'has `build:` but no `image:`, so there is nowhere to push it (add image: registry/name:tag)',
        field,
        svc,
      );
    }
    const image = imageText ?? `${o.project.toLowerCase().replace(/[^a-z0-9_-]/g, '')}-${name}`;
    const ref = parseRef(image);
    if (!ref) fail(`invalid image reference "${image}"`, `${field}.image`, imageNode ?? svc);
    const repo = repository(ref!);
    const tags = [
      ref!.tag || ref!.digest ? image : `${repo}:latest`,
      ...o.tagNames.map((t) => `${repo}:${t}`),
    ];
    const platforms = spec!.platforms;
    targets.push({
      name,
      context,
      file: spec!.dockerfile ? resolve(context, sub(scalar(spec!.dockerfile))) : undefined,
      target: spec!.target ? sub(scalar(spec!.target)) : undefined,
      buildArgs: keyValues(spec!.args, o.env).map(([k, v]) => [k, sub(v)]),
      platforms: Array.isArray(platforms) ? platforms.map(scalar) : [],
      tags: [...new Set(tags)],
      labels: keyValues(spec!.labels, o.env),
      cacheFrom: Array.isArray(spec!.cache_from) ? spec!.cache_from.map((c) => sub(scalar(c))) : [],
      cacheTo: Array.isArray(spec!.cache_to) ? spec!.cache_to.map((c) => sub(scalar(c))) : [],
    });
  }
  if (wanted.size) fail(`no such service: ${[...wanted].join(', ')}`, 'input "services"');
  if (!targets.length) fail('no service has a `build:` section', 'services', servicesNode);
  return targets;
}

/** Reads `.env` beside the compose file (if any) under the process environment (which wins). */
export function composeEnv(dotenvText: string | undefined, env: Env): Env {
  return { ...(dotenvText ? parseDotenv(dotenvText) : {}), ...env };
}
