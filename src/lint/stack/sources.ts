import { relative } from 'node:path';
import { readInside } from './files.js';
import type { Service, Stack } from './types.js';

const SOURCE = /\.(js|mjs|cjs|ts|py|rb|go|php|conf|cfg|ini|toml|json|ya?ml)$/;
const MAX_SOURCE = 256 * 1024;
const MAX_FILES = 200;

/** Small text files a service gets from the project (its code and config), with their text. */
export function serviceSources(stack: Stack, s: Service): { file: string; target: string; text: string }[] {
  const files = stack.files.get(s);
  if (!files) return [];
  const out = [];
  for (const [target, { source }] of files) {
    if (out.length >= MAX_FILES) break;
    if (!SOURCE.test(target) || /node_modules|\/vendor\//.test(target)) continue;
    const r = readInside(stack.root, source, Math.min(MAX_SOURCE, stack.options.maxFileSize));
    if (r.ok) out.push({ file: relative(process.cwd(), r.path) || r.path, target, text: r.text });
  }
  return out;
}

const LOOP = String.raw`(?:127\.0\.0\.1|localhost|::1|\[::1\])`;
/** Server code and config that bind loopback: `listen(port, '127.0.0.1')`, `app.run(host=…)`, gunicorn `bind`, Go. */
const BINDS: RegExp[] = [
  new RegExp(String.raw`\.listen\(\s*[^,()]+,\s*['"\`]${LOOP}['"\`]`),
  new RegExp(String.raw`\b(?:run|serve|create_server|make_server)\([^)]*\bhost\s*=\s*['"]${LOOP}['"]`),
  new RegExp(String.raw`^\s*bind\s*=\s*\[?\s*['"]${LOOP}(?::\d+)?['"]`),
  new RegExp(String.raw`ListenAndServe(?:TLS)?\(\s*"${LOOP}:`),
];
/** Tests and fixtures copied in with `COPY . .` often listen on loopback on purpose. */
const NOT_APP = /(^|\/)(tests?|spec|__tests__|fixtures)\/|\.(test|spec)\.[a-z]+$/;

/** Is `target` a file the command runs (`node server.js`, `python app.py`, gunicorn `app:app`) or server config? */
function isServerFile(target: string, words: string[]): boolean {
  const base = target.split('/').pop() ?? '';
  if (/^(gunicorn[\w.-]*\.py|uwsgi\.ini|[\w.-]+\.conf)$/.test(base)) return true;
  return words.some((w) => {
    const mod = /^([\w.]+):[\w.]+$/.exec(w)?.[1];
    if (mod) return target.endsWith('/' + mod.replace(/\./g, '/') + '.py');
    return w.length > 0 && (w === target || w.endsWith('/' + base) || w === base);
  });
}
/** `process.env.HOST || '127.0.0.1'` / `os.environ.get('HOST', '127.0.0.1')`: a loopback default. */
const DEFAULTS = new RegExp(
  String.raw`(?:process\.env\.(\w+)\s*(?:\|\||\?\?)|os\.environ\.get\(\s*['"](\w+)['"]\s*,|getenv\(\s*['"](\w+)['"]\s*,)\s*['"]${LOOP}['"]`,
);

/** Lines of a service's code or config that make it listen on loopback (env defaults only when the variable is not set). */
export function loopbackBinds(
  stack: Stack,
  s: Service,
  env: Map<string, { value: string }>,
  commandWords: string[],
): { file: string; line: number; text: string }[] {
  const out = [];
  for (const src of serviceSources(stack, s)) {
    if (NOT_APP.test(src.target) || !isServerFile(src.target, commandWords)) continue;
    const lines = src.text.split('\n');
    for (let k = 0; k < lines.length; k++) {
      const l = lines[k];
      if (l.length > 2000) continue;
      const d = DEFAULTS.exec(l);
      const unset = d && !env.has(d[1] ?? d[2] ?? d[3]);
      const listens = /listen|bind|host|run\(|serve/i.test(src.text);
      if (BINDS.some((re) => re.test(l)) || (unset && listens))
        out.push({ file: src.file, line: k + 1, text: l.trim().slice(0, 80) });
    }
  }
  return out;
}

/** A health path named in a service's health-check script (`path: '/healthz'`). */
export function scriptHealthPath(stack: Stack, s: Service, checkText: string): string | undefined {
  const files = stack.files.get(s);
  if (!files) return undefined;
  for (const [target] of files) {
    if (!checkText.includes(target) && !checkText.split(/\s+/).some((w) => w && target.endsWith('/' + w)))
      continue;
    const src = serviceSources(stack, s).find((x) => x.target === target);
    const m =
      src && /['"`](\/(?:[\w.-]+\/)*[\w.-]*(?:health|ready|live|ping|status)[\w.-]*)['"`]/i.exec(src.text);
    if (m) return m[1];
  }
  return undefined;
}
