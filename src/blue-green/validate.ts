/**
 * The grammar of every user value that blue-green writes into an nginx or HAProxy config or a
 * compose file: checked once, in `getInputs`, so nothing a user types can add a line to the load
 * balancer's configuration. `lb-snippet`, the one explicit way to add raw configuration, is
 * tested by the load balancer itself (`nginx -t` / `haproxy -c`) before anything is changed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { net } from '../core/builtins.js';
import { UserError, StepFailure } from '../core/errors.js';
import { docker } from '../docker/cli.js';
import { parseRef } from '../docker/refs.js';
import { haproxyConf, haproxyMap, LB_DIR, LABEL, NGINX_FILES, nginxConf, type AppSettings } from './plan.js';

const bad = (input: string, message: string): never => {
  throw new UserError(message, { field: `input "${input}"` });
};

/** Any C0 control character or DEL: a newline would start a new configuration line. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/**
 * An origin-form request target (RFC 3986 path-absolute and query: unreserved, pct-encoded,
 * sub-delims, `:`, `@`, `/`, `?`), less `'`, which HAProxy's single quotes around it cannot hold.
 */
const PATH = /^\/(?:[A-Za-z0-9\-._~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
/** An app name: a DNS label part, a compose project, an nginx and HAProxy word (input "name"). */
export const APP_NAME = /^[a-z0-9][a-z0-9_-]{0,40}$/;
/** Environment names as POSIX shells and compose files take them. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A request path such as `/healthz` or `/ready?deep=1`; throws a `UserError` naming `input`. */
export function checkPath(input: string, value: string): string {
  if (CONTROL.test(value)) bad(input, `contains a control character: ${JSON.stringify(value)}`);
  if (!PATH.test(value))
    bad(
      input,
      `expected a path starting with / (letters, digits, -._~!$&()*+,;=:@/? and %XX escapes), got ${JSON.stringify(value)}`,
    );
  return value;
}

/** An image reference (distribution/reference grammar); throws a `UserError` naming `input`. */
export function checkImage(input: string, value: string): string {
  if (!parseRef(value))
    bad(input, `not a valid image reference (such as ghcr.io/acme/shop:1.4.2): ${JSON.stringify(value)}`);
  return value;
}

/** The host address the LB's ports bind to: an IPv4 address. */
export function checkBindAddress(input: string, value: string): string {
  if (!net().isIPv4(value))
    bad(input, `expected an IPv4 address such as 0.0.0.0 or 127.0.0.1, got ${JSON.stringify(value)}`);
  return value;
}

/** Free text that lands in a compose file (a label, `APP_VERSION`): any character but control characters. */
export function checkText(input: string, value: string): string {
  if (CONTROL.test(value)) bad(input, `contains a control character: ${JSON.stringify(value)}`);
  return value;
}

/** The state dir: mounted into the LB container, so no `:` (compose's volume separator) or control character. */
export function checkStateDir(input: string, value: string): string {
  if (CONTROL.test(value) || value.includes(':'))
    bad(input, `a path without ':' or control characters is required, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * `env`: one `KEY=value` per line. The value is everything after the first `=`, exactly as written
 * (spaces, commas, `=`, `$`, quotes, backslashes, unicode): it reaches the container byte for byte.
 * Blank lines and lines starting with `#` are skipped; a trailing CR (CRLF input) is dropped.
 */
export function envPairs(input: string, text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!ENV_NAME.test(key))
      bad(
        input,
        `expected KEY=value with KEY of letters, digits and _ (not first), got ${JSON.stringify(line)}`,
      );
    const value = line.slice(eq + 1);
    if (value.includes('\u0000')) bad(input, `the value of ${key} contains a NUL character`);
    out[key] = value;
  }
  return out;
}

/** Snippet lines: raw configuration, but one line each (no control characters other than tab). */
export function checkSnippet(input: string, lines: readonly string[]): string[] {
  for (const l of lines)
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(l))
      bad(input, `contains a control character: ${JSON.stringify(l)}`);
  return [...lines];
}

/** The listener config that holds `lb-snippet` (nginx's front master or haproxy.cfg) and its file name. */
function snippetConfig(s: AppSettings): { file: string; text: string } {
  return s.lb === 'nginx'
    ? { file: NGINX_FILES.front, text: nginxConf(s) }
    : { file: 'haproxy.cfg', text: haproxyConf(s) };
}

/**
 * Tests the LB config that carries `lb-snippet` with the LB image's own nginx or HAProxy, in a
 * throw-away container, before anything is started or switched. Skipped when there is no snippet or
 * the LB already runs this exact config. Throws a `UserError` (input `lb-snippet`) with the
 * load balancer's own message when it refuses the config.
 */
export async function testSnippet(s: AppSettings, input: string): Promise<void> {
  if (!s.lbSnippet.length) return;
  const { file, text } = snippetConfig(s);
  if ((await readFile(join(s.stateDir, 'lb', file), 'utf8').catch(() => undefined)) === text) return;
  const dir = await mkdtemp(join(tmpdir(), 'shipkit-lbtest-'));
  try {
    await writeFile(join(dir, file), text);
    // HAProxy loads the routing map while parsing; nginx's front config includes nothing.
    await writeFile(join(dir, 'routes.map'), haproxyMap({ live: null, preview: null }));
    // Not `haproxy -c -q`: it hides the errors too.
    const check = s.lb === 'nginx' ? ['nginx', '-t', '-q', '-c'] : ['haproxy', '-c', '-f'];
    const r = await docker(
      [
        'run',
        '--rm',
        '--network',
        'none',
        '--label',
        `${LABEL.app}=${s.name}`,
        '--user',
        '0:0',
        '-v',
        `${dir}:${LB_DIR}:ro`,
        '--entrypoint',
        check[0],
        s.lbImage,
        ...check.slice(1),
        `${LB_DIR}/${file}`,
      ],
      { check: false },
    );
    if (r.code === 0) return;
    const out = (r.stderr + r.stdout).trim();
    if (
      !/\[emerg\]|\[ALERT\]|error/i.test(out) ||
      /Unable to find image|No such image|pull access denied/.test(out)
    )
      throw new StepFailure(`could not test lb-snippet with ${s.lbImage}: ${out || `exit ${r.code}`}`);
    bad(input, `${s.lb} refuses it (nothing was changed): ${snippetErrors(out, text, s.lbSnippet)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The load balancer's error lines, with a config line number turned into the snippet's own line. */
function snippetErrors(out: string, conf: string, snippet: readonly string[]): string {
  const lines = conf.split('\n');
  const first = lines.findIndex((l) => l.trim() === snippet[0].trim()) + 1;
  const lines2 = out
    .split('\n')
    .filter((l) => /\[emerg\]|\[ALERT\]/.test(l) && !/Error\(s\) found in configuration file/.test(l))
    // HAProxy lists every keyword it knows before the one it got; the prefix says nothing either.
    .map((l) =>
      l
        .replace(/^\[ALERT\]\s*\(\d+\)\s*:\s*(?:config\s*:\s*)?/, '')
        .replace(/ expects '.*', but got /, ' got '),
    )
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
    .map((l) =>
      l.replace(/(?:in )?(?:file )?'?\/etc\/shipkit-lb\/[\w.]+'?(?: at line |:)(\d+)/, (_m, n: string) => {
        const at = Number(n) - first + 1;
        return first > 0 && at >= 1 && at <= snippet.length ? `at line ${at} of lb-snippet` : `at line ${n}`;
      }),
    );
  return (lines2.length ? lines2 : out.split('\n').slice(-3)).join(' | ');
}
