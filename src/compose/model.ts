/**
 * Compose files read by compose itself: `docker compose config --format json` (v2) or
 * `docker-compose config` (v1, YAML) gives the merged, interpolated model — `-f` overrides, `extends`,
 * `include`, `.env`, every `${…}` form — exactly as `up`/`build` will see it. shipkit parses the files
 * with `yaml` first only for line-numbered syntax errors, for source lines, and to name the forms v1
 * cannot do instead of letting it fail vaguely or misread them.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isAlias, isMap, isScalar, parse, visit } from 'yaml';
import { UserError } from '../core/errors.js';
import { exec as realExec, type ExecOptions, type ExecResult } from '../core/exec.js';
import type { ComposeCommand } from '../docker/cli.js';
import type { Env } from '../platform/context.js';
import { unescapeDollars } from './dollars.js';
import { checkV1, locator, parseSources, type ComposeSource, type Place } from './source.js';

export type { ComposeSource, Place };

/** The one seam to processes (`core/exec`'s signature). */
export type Exec = (file: string, args: readonly string[], opts?: ExecOptions) => Promise<ExecResult>;

export interface BuildConfig {
  /** Absolute path (or a remote URL) after compose's path resolution. */
  context: string;
  /** As written, relative to the context (compose v2 fills in `Dockerfile`). */
  dockerfile?: string;
  /** Unset variables of an `args` list have no value (`null`): the Dockerfile's default applies. */
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  cache_from?: string[];
  cache_to?: string[];
  platforms?: string[];
  [key: string]: unknown;
}

export interface ServiceConfig {
  image?: string;
  build?: BuildConfig;
  /** v2 adds `{ default: null }` to every service on the default network. */
  networks?: Record<string, unknown> | string[];
  network_mode?: string;
  profiles?: string[];
  [key: string]: unknown;
}

export interface ResourceConfig {
  external?: boolean | { name?: string };
  name?: string;
  [key: string]: unknown;
}

/** The merged model as compose prints it, normalised across v1 and v2 (`$$` unescaped, maps as maps). */
export interface ComposeConfig {
  name?: string;
  services: Record<string, ServiceConfig>;
  networks: Record<string, ResourceConfig>;
  volumes: Record<string, ResourceConfig>;
}

export interface ReadComposeOptions {
  /** The compose command, or how to find it (asked only when compose has to run). */
  cmd: ComposeCommand | (() => Promise<ComposeCommand>);
  /** The compose files (`-f`), absolute, in order. */
  files: readonly string[];
  /** The same files as the user wrote them (for messages); defaults to `files`. */
  display?: readonly string[];
  /** `--project-directory` (where `.env` and relative paths are read). */
  projectDir: string;
  /** The whole environment compose runs with (interpolation reads it; PATH and DOCKER_* too). */
  env: Env;
  envFiles?: readonly string[];
  profiles?: readonly string[];
  /** `-p`; left out when absent (compose derives it from the project directory). */
  projectName?: string;
  exec?: Exec;
  /**
   * Skip compose for a file it would print back unchanged (see `isPlain`): the model is then the file,
   * normalised as compose's output is and with build contexts resolved against `projectDir`, but
   * other keys keep the file's own short forms and profiles are not applied. For callers that read
   * only services' build, image, networks, network_mode and profiles and the top-level networks and
   * volumes (build-push, stack): it saves a compose start, 0.3-1 s of CPU for docker-compose v1.
   */
  inProcessWhenPlain?: boolean;
}

export interface ResolvedCompose {
  model: ComposeConfig;
  /** Where a service (or `key` of it) is written; falls back to the `services:` key. */
  locate(service?: string, key?: string): Place;
  /** The files as the user wrote them, in `-f` order. */
  files: readonly string[];
}

/** The argv of compose's `config` for this project: JSON on v2, YAML (its only form) on v1. */
export function configCommand(
  o: Omit<ReadComposeOptions, 'exec' | 'env' | 'cmd'> & { cmd: ComposeCommand },
): { file: string; args: string[] } {
  if (o.cmd.version === 1 && (o.envFiles?.length ?? 0) > 1) {
    throw new UserError('docker-compose v1 reads only one env file; install compose v2 for several', {
      field: 'input "env-file"',
    });
  }
  const args = [...o.cmd.prefix];
  if (o.projectName) args.push('-p', o.projectName);
  for (const f of o.files) args.push('-f', f);
  args.push('--project-directory', o.projectDir);
  for (const e of o.envFiles ?? []) args.push('--env-file', e);
  for (const p of o.profiles ?? []) args.push('--profile', p);
  args.push('config');
  if (o.cmd.version === 2) args.push('--format', 'json');
  return { file: o.cmd.file, args };
}

function asMap(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A scalar as text; a map or list (not valid here, compose would have refused it) as JSON. */
function text(v: unknown): string {
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A `KEY=value` list or a map → map; a bare `KEY` in a list has no value (`null`). */
function keyValueMap(v: unknown): Record<string, string | null> | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    return Object.fromEntries(
      v.map((item) => {
        const s = text(item);
        const eq = s.indexOf('=');
        return eq > 0 ? [s.slice(0, eq), s.slice(eq + 1)] : [s, null];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(asMap(v)).map(([k, x]) => [k, x === null || x === undefined ? null : text(x)]),
  );
}

function normaliseBuild(b: unknown): BuildConfig | undefined {
  if (b === undefined || b === null) return undefined;
  if (typeof b === 'string') return { context: b };
  const m = asMap(b);
  const labels = keyValueMap(m.labels);
  const build: BuildConfig = {
    ...m,
    context: typeof m.context === 'string' ? m.context : '.',
    args: keyValueMap(m.args),
    labels: labels ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v ?? ''])) : undefined,
  };
  return build;
}

/**
 * Parses compose's `config` output (v2 JSON, v1 YAML) into the normalised model. Throws when the
 * text is not a compose model (compose printed something unexpected).
 */
export function parseConfigOutput(version: 1 | 2, stdout: string): ComposeConfig {
  return configModel(version === 2 ? JSON.parse(stdout) : parse(stdout), stdout);
}

/** The normalised model of a compose model already parsed (`text`, its source, is quoted when it is not one). */
function configModel(raw: unknown, text: string): ComposeConfig {
  const top = asMap(unescapeDollars(raw));
  if (!top.services || typeof top.services !== 'object')
    throw new Error(`compose config printed no services: ${text.slice(0, 200)}`);
  const services: Record<string, ServiceConfig> = {};
  for (const [name, s] of Object.entries(asMap(top.services))) {
    const svc = asMap(s);
    const build = normaliseBuild(svc.build);
    services[name] = { ...svc, build };
    if (!build) delete services[name].build;
  }
  return {
    ...(typeof top.name === 'string' ? { name: top.name } : {}),
    services,
    networks: asMap(top.networks) as Record<string, ResourceConfig>,
    volumes: asMap(top.volumes) as Record<string, ResourceConfig>,
  };
}

/** The useful lines of compose's complaint (v1's hint paragraphs and v2's usage text left out). */
export function composeComplaint(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(You might be seeing|For more on the Compose|Usage:)/.test(l));
  return (
    lines
      .slice(0, 4)
      .join(' ')
      .replace(/^ERROR:\s*/, '')
      .slice(0, 600) || 'no reason given'
  );
}

/**
 * Reads compose files through compose: syntax errors (file:line:col) and the forms v1 cannot read
 * are reported first, then `config` runs and its model is parsed. Throws `UserError` for anything
 * compose rejects (with its reason) and for a missing file.
 */
export async function readCompose(o: ReadComposeOptions): Promise<ResolvedCompose> {
  const display = o.display ?? o.files;
  const sources: ComposeSource[] = await Promise.all(
    o.files.map(async (path, i) => {
      try {
        return { file: display[i], text: await readFile(path, 'utf8') };
      } catch {
        throw new UserError('compose file not found', { file: display[i], field: 'input "compose-file"' });
      }
    }),
  );
  const parsed = parseSources(sources);
  if (o.inProcessWhenPlain && isPlain(parsed, sources)) {
    // The file as compose would print it: its document, already parsed above, is the model.
    const model = configModel(parsed[0].doc.toJS(), sources[0].text);
    // An `args` entry without a value takes it from the environment (v1 and v2 differ on unset ones).
    const fromEnv = Object.values(model.services).some((svc) =>
      Object.values(svc.build?.args ?? {}).some((v) => v === null),
    );
    if (!fromEnv) return withSources(parsed, resolveContexts(model, o.projectDir));
  }
  const cmd = typeof o.cmd === 'function' ? await o.cmd() : o.cmd;
  if (cmd.version === 1) checkV1(parsed);
  const c = configCommand({ ...o, cmd });
  const run = o.exec ?? realExec;
  const r = await run(c.file, c.args, {
    cwd: o.projectDir,
    env: { ...o.env },
    replaceEnv: true,
    check: false,
  });
  if (r.code !== 0) {
    throw new UserError(`compose rejects the configuration: ${composeComplaint(r.stderr || r.stdout)}`, {
      file: display.join(', '),
    });
  }
  return withSources(parsed, parseConfigOutput(cmd.version, r.stdout));
}

/**
 * A model joined with the files it came from (for source lines). `readCompose` uses it; so can a
 * caller that already holds compose's output. Throws `UserError` on a YAML syntax error in a source.
 */
export function withSources(
  sources: readonly ComposeSource[] | ReturnType<typeof parseSources>,
  model: ComposeConfig,
): ResolvedCompose {
  const parsed = sources.map((s) => ('doc' in s ? s : parseSources([s])[0]));
  return { model, locate: locator(parsed), files: parsed.map((p) => p.file) };
}

/**
 * One file that compose would print back as it is: no `$` (nothing to interpolate or unescape), no
 * `include:` or `extends:`, no YAML anchors or aliases (merge keys), a `services:` map.
 */
export function isPlain(parsed: ReturnType<typeof parseSources>, sources: readonly ComposeSource[]): boolean {
  if (parsed.length !== 1 || sources[0].text.includes('$')) return false;
  const doc = parsed[0].doc;
  if (doc.has('include') || !isMap(doc.get('services'))) return false;
  let plain = true;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node) || ('anchor' in node && node.anchor)) plain = false;
      return plain ? undefined : visit.BREAK;
    },
    Pair(_key, pair) {
      const path = isScalar(pair.key) ? String(pair.key.value) : '';
      if (path === 'extends' || path === '<<') plain = false;
      return plain ? undefined : visit.BREAK;
    },
  });
  return plain;
}

/** Build contexts resolved against the project directory, as compose resolves them (URLs kept). */
function resolveContexts(model: ComposeConfig, projectDir: string): ComposeConfig {
  for (const svc of Object.values(model.services)) {
    if (svc.build && !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(svc.build.context))
      svc.build.context = resolve(projectDir, svc.build.context);
  }
  return model;
}

/** Whether a service is on the project's default network (no `network_mode`, no other networks only). */
export function onDefaultNetwork(s: ServiceConfig): boolean {
  if (s.network_mode) return false;
  if (!s.networks) return true;
  const names = Array.isArray(s.networks) ? s.networks : Object.keys(s.networks);
  return names.length === 0 || names.includes('default');
}

/** Whether a top-level network or volume is external (compose never creates, labels or removes it). */
export function isExternal(r: ResourceConfig | null | undefined): boolean {
  return !!r?.external;
}

/** The services in the order the user wrote them (compose prints them sorted): by file, then line. */
export function servicesInFileOrder(r: ResolvedCompose): string[] {
  const key = (n: string) => {
    const p = r.locate(n);
    return [r.files.indexOf(p.file), p.line] as const;
  };
  return Object.keys(r.model.services).sort((a, b) => {
    const [fa, la] = key(a);
    const [fb, lb] = key(b);
    return fa - fb || la - lb || a.localeCompare(b);
  });
}
