import { existsSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import { yamlCompose, type ComposeReader } from './compose.js';
import { readInside, kindInside, listInside } from './files.js';
import { parseHaproxy } from './haproxy.js';
import { imageInfo, effectiveCommand } from './image.js';
import { parseNginx } from './nginx.js';
import type { At, Balancer, Feed, Service, Stack, StackFinding, StackOptions } from './types.js';

/** compose's default file names, in the order it looks for them. */
export const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDES = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yaml',
  'docker-compose.override.yml',
];

/** The compose files compose itself would read in `dir` (plus its override file), or none. */
export function defaultComposeFiles(dir: string): string[] {
  const main = COMPOSE_NAMES.find((n) => existsSync(resolve(dir, n)));
  if (!main) return [];
  const i = COMPOSE_NAMES.indexOf(main) < 2 ? 0 : 2;
  const override = OVERRIDES.slice(i, i + 2).find((n) => existsSync(resolve(dir, n)));
  return override ? [main, override] : [main];
}

/** `KEY=value` lines of a `.env` file (comments and blank lines skipped, one level of quotes removed). */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (m) out[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

const NGINX_TEXT = /^\s*(upstream\s|server\s*\{|location\s|proxy_pass\s|http\s*\{|listen\s)/m;
const HAPROXY_TEXT = /^\s*(backend|frontend|listen)\s+\S/m;

function kindOf(target: string, text: string): 'nginx' | 'haproxy' | 'script' | 'cert' | undefined {
  if (/\.(pem|crt|cert)$/.test(target)) return 'cert';
  if (/\.cfg$/.test(target) && (target.includes('haproxy') || HAPROXY_TEXT.test(text))) return 'haproxy';
  if (
    /\.(conf|template|tmpl|tpl)$/.test(target) &&
    (target.startsWith('/etc/nginx/') || NGINX_TEXT.test(text))
  )
    return HAPROXY_TEXT.test(text) && !NGINX_TEXT.test(text) ? 'haproxy' : 'nginx';
  if (/\.sh$/.test(target) || /^#!\s*\S*\b(sh|bash|ash|dash)\b/.test(text)) return 'script';
  return undefined;
}

interface Loader {
  root: string;
  cwd: string;
  options: StackOptions;
  findings: StackFinding[];
  stack: Stack;
}

const relOf = (l: Loader, abs: string) => relative(l.cwd, abs) || abs;

/** A feed's source could not be used: a finding naming the service and the path, or silence. */
function unread(l: Loader, s: Service, feed: Feed, why: string, size?: number) {
  if (why === 'missing')
    l.findings.push({
      code: 'SK0002',
      ...feed.at,
      message: `service "${s.name}" uses ${JSON.stringify(feed.written)}, which does not exist: the container gets an empty directory or the build fails`,
    });
  else if (why === 'outside' && !feed.written.startsWith('/') && !feed.written.startsWith('~'))
    l.findings.push({
      code: 'SK0003',
      ...feed.at,
      message: `service "${s.name}" uses ${JSON.stringify(feed.written)}, outside the project directory: not checked`,
    });
  else if (why === 'too-big')
    l.findings.push({
      code: 'SK0004',
      ...feed.at,
      message: `service "${s.name}" uses ${JSON.stringify(feed.written)} (${size} bytes), above the max-file-size limit: not checked`,
    });
}

function fileMap(l: Loader, s: Service): Map<string, { source: string; at: At }> {
  const files = new Map<string, { source: string; at: At }>();
  for (const feed of [...(s.imageInfo?.copies ?? []), ...s.feeds]) {
    if (!feed.source) continue;
    const kind = kindInside(l.root, feed.source);
    if (kind === 'missing' || kind === 'outside') {
      unread(l, s, feed, kind);
      continue;
    }
    if (kind === 'file') files.set(feed.target, { source: feed.source, at: feed.at });
    else
      for (const f of listInside(l.root, feed.source))
        files.set(posix.join(feed.target, f.split(sep).join('/')), {
          source: resolve(feed.source, f),
          at: feed.at,
        });
  }
  return files;
}

function readBuild(l: Loader, s: Service) {
  if (!s.build) return;
  const r = readInside(l.root, s.build.dockerfile, l.options.maxFileSize);
  const feed: Feed = {
    source: s.build.dockerfile,
    target: '',
    at: s.build.at,
    written: relative(l.root, s.build.dockerfile),
  };
  if (!r.ok) return unread(l, s, feed, r.why, r.size);
  const rel = relOf(l, r.path);
  l.stack.texts.set(rel, { text: r.text, kind: 'dockerfile' });
  const info = imageInfo(r.text, rel, l.root, s.build.context);
  if (!('error' in info)) s.imageInfo = info; // a Dockerfile that does not parse is DL1000's
}

/** Paths of scripts a command names: `/entrypoint.sh`, `sh /x.sh`, `./run.sh` (relative to nothing we know: skipped). */
function scriptPaths(cmd: string[] | string | undefined): string[] {
  if (cmd === undefined) return [];
  const ws = Array.isArray(cmd) ? cmd : cmd.split(/\s+/);
  const out = ws.filter((w) => w.startsWith('/'));
  return out;
}

type ParseFailure = { ok: false; line: number; message: string };

/**
 * Keeps a load balancer configuration's text for the rules and gives back its parse; a text that
 * does not parse is an SK0001 finding at the parser's line instead (undefined).
 */
function parsedConfig<P extends { ok: true }>(
  l: Loader,
  rel: string,
  kind: 'nginx' | 'haproxy',
  text: string,
  p: P | ParseFailure,
): P | undefined {
  l.stack.texts.set(rel, { text, kind });
  if (p.ok) return p;
  const name = kind === 'nginx' ? 'nginx' : 'HAProxy';
  l.findings.push({
    code: 'SK0001',
    file: rel,
    line: p.line,
    message: `the ${name} configuration does not parse: ${p.message}`,
  });
  return undefined;
}

function readFeeds(l: Loader, s: Service, files: Map<string, { source: string; at: At }>): Balancer {
  const b: Balancer = { service: s, nginx: [], haproxy: [], files, scripts: [] };
  const { entrypoint, command } = effectiveCommand(s.entrypoint, s.command, s.imageInfo);
  const wanted = new Set([...scriptPaths(entrypoint?.value), ...scriptPaths(command?.value)]);
  for (const [target, { source, at }] of files) {
    const guess = kindOf(target, '');
    const maybe = guess || wanted.has(target) || /\.(conf|template|tmpl|tpl|cfg)$/.test(target);
    if (!maybe || guess === 'cert') continue;
    const r = readInside(l.root, source, l.options.maxFileSize);
    if (!r.ok) {
      unread(l, s, { source, target, at, written: relative(l.root, source) }, r.why, r.size);
      continue;
    }
    const kind = kindOf(target, r.text) ?? (wanted.has(target) && /^#!/.test(r.text) ? 'script' : undefined);
    const rel = relOf(l, r.path);
    if (kind === 'nginx') {
      const p = parsedConfig(l, rel, 'nginx', r.text, parseNginx(r.text));
      if (p) b.nginx.push({ file: rel, target, directives: p.directives, text: r.text });
    } else if (kind === 'haproxy') {
      const p = parsedConfig(l, rel, 'haproxy', r.text, parseHaproxy(r.text));
      if (p) b.haproxy.push({ file: rel, target, sections: p.sections, text: r.text });
    } else if (kind === 'script' && (wanted.has(target) || /entrypoint|docker-entrypoint/.test(target))) {
      l.stack.texts.set(rel, { text: r.text, kind: 'script' });
      b.scripts.push({ file: rel, target, text: r.text });
    }
  }
  return b;
}

/**
 * Reads a compose project under `root`: the compose files, every Dockerfile they build, and the
 * nginx / HAProxy configurations, templates and scripts each service mounts or copies in. Never
 * reads outside `root`. Problems with the files come back as findings (SK0001–SK0004).
 */
export function loadStack(
  root: string,
  composeFiles: string[],
  options: StackOptions,
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
  reader: ComposeReader = yamlCompose,
): { stack: Stack; findings: StackFinding[] } {
  const stack: Stack = {
    root,
    composeFiles: [],
    services: new Map(),
    hostnames: new Map(),
    balancers: [],
    texts: new Map(),
    options,
    scripts: new Map(),
    files: new Map(),
  };
  const l: Loader = { root, cwd, options, findings: [], stack };
  const sources = [];
  for (const f of composeFiles) {
    const r = readInside(root, f, options.maxFileSize);
    const rel = relOf(l, resolve(root, f));
    if (!r.ok) {
      l.findings.push({
        code: r.why === 'too-big' ? 'SK0004' : 'SK0002',
        file: rel,
        line: 1,
        message:
          r.why === 'too-big'
            ? `compose file of ${r.size} bytes, above the max-file-size limit: not checked`
            : `compose file ${JSON.stringify(f)} cannot be read (${r.why})`,
      });
      continue;
    }
    stack.composeFiles.push(rel);
    stack.texts.set(rel, { text: r.text, kind: 'compose' });
    sources.push({ path: r.path, rel, text: r.text });
  }
  const dotenv = readInside(root, '.env', options.maxFileSize);
  const fullEnv = { ...(dotenv.ok ? parseDotEnv(dotenv.text) : {}), ...env };
  let read: ReturnType<ComposeReader['read']>;
  try {
    read = reader.read(sources, fullEnv);
  } catch (err: unknown) {
    // the YAML library recursing on hostile nesting (RangeError) is a file that does not parse, not a crash
    const message = `the compose file could not be read: ${(err as Error).message.split('\n')[0].slice(0, 200)}`;
    read = {
      services: new Map(),
      fileObjects: new Map(),
      findings: sources.slice(0, 1).map((f) => ({ code: 'SK0001', file: f.rel, line: 1, message })),
    };
  }
  l.findings.push(...read.findings);
  stack.services = read.services;
  for (const s of stack.services.values()) {
    for (const n of [s.name, ...s.aliases, s.containerName?.value, s.hostname])
      if (n) stack.hostnames.set(n, s);
    readBuild(l, s);
    const files = fileMap(l, s);
    const b = readFeeds(l, s, files);
    stack.files.set(s, files);
    stack.scripts.set(s, b.scripts);
    if (b.nginx.length || b.haproxy.length) stack.balancers.push(b);
  }
  return { stack, findings: l.findings };
}

/** Reads a certificate file a balancer names (container path), inside the project only. */
export function readCert(
  stack: Stack,
  b: Balancer,
  target: string,
): { text: string; rel: string } | 'missing' | undefined {
  const hit = b.files.get(posix.normalize(target));
  if (!hit) return undefined;
  const r = readInside(stack.root, hit.source, stack.options.maxFileSize);
  if (!r.ok) return r.why === 'missing' ? 'missing' : undefined;
  return { text: r.text, rel: relative(process.cwd(), r.path) };
}
