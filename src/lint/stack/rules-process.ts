import { posix } from 'node:path';
import { words } from '../parse.js';
import { parseShell } from '../shell.js';
import { lastCommandLine } from './common.js';
import { effectiveCommand } from './image.js';
import type { Located, Service, Stack, StackFinding } from './types.js';

const SHELLS = /^(\/usr)?(\/bin\/)?(sh|bash|ash|dash|zsh)$/;

/** The script of `sh -c '…'` (exec form or a compose string) and the shell, or undefined. */
export function shellScript(
  c: Located<string[] | string> | undefined,
): { shell: string; script: string } | undefined {
  if (!c) return undefined;
  const ws = Array.isArray(c.value) ? c.value : words(c.value);
  if (ws.length < 3 || !SHELLS.test(ws[0])) return undefined;
  const flag = ws.slice(1).findIndex((w) => !/^-[a-z]*$/.test(w));
  const flags = ws.slice(1, flag < 0 ? undefined : flag + 1).join('');
  if (!/^-[a-z]*c/.test(ws[1]) && !flags.includes('c')) return undefined;
  const script = ws[flag + 1];
  return script === undefined ? undefined : { shell: ws[0].replace(/^.*\//, ''), script };
}

/**
 * The script's main process gets signals: it is exec'd, or the script traps them. bash execs a lone
 * simple command by itself; dash (Debian's sh) does not, so `sh -c 'node app.js'` keeps sh as PID 1.
 */
export function forwardsSignals(script: string, shell = 'sh'): boolean {
  if (/\btrap\b/.test(script)) return true;
  const sh = parseShell(script);
  if (shell === 'bash' && sh.chains === 0 && !sh.hasPipe && sh.commands.length <= 1) return true;
  return sh.commands.at(-1)?.name === 'exec';
}

/** The script files a command runs: `/entrypoint.sh`, `sh /x.sh`, `./x.sh` (relative to WORKDIR is not known: absolute only). */
function scriptOf(stack: Stack, s: Service, c: Located<string[] | string> | undefined) {
  if (!c) return undefined;
  const ws = Array.isArray(c.value) ? c.value : words(c.value);
  const path = SHELLS.test(ws[0] ?? '') && ws[1] && !ws[1].startsWith('-') ? ws[1] : ws[0];
  if (!path?.startsWith('/')) return undefined;
  return stack.scripts.get(s)?.find((x) => x.target === posix.normalize(path));
}

const EXEC_ARGS = /\bexec\b[^\n]*("\$@"|\$@|"\$\{@\}"|\$\{@\}|"\$\*")/;

/** SK5001 (`sh -c` without exec) and SK5002 (entrypoint scripts that keep PID 1). */
export function processRules(stack: Stack): StackFinding[] {
  const out: StackFinding[] = [];
  for (const s of stack.services.values()) {
    const { entrypoint, command } = effectiveCommand(s.entrypoint, s.command, s.imageInfo);
    for (const c of [entrypoint, command]) {
      const sh = shellScript(c);
      if (c && sh && !forwardsSignals(sh.script, sh.shell))
        out.push({
          code: 'SK5001',
          file: c.file,
          line: c.line,
          message: `service "${s.name}": ${sh.shell} running "${sh.script.replace(/\s+/g, ' ').slice(0, 60)}" stays PID 1 and does not pass SIGTERM on: every stop waits out the timeout (start the main process with exec)`,
        });
    }
    const ep = scriptOf(stack, s, entrypoint);
    const main = ep ?? (entrypoint ? undefined : scriptOf(stack, s, command));
    if (!main) continue;
    const last = lastCommandLine(main.text);
    const where = { file: main.file, line: last?.line ?? 1 };
    if (ep && command) {
      // a script that ends by exec'ing its own main process ignores CMD, but signals still arrive
      const execsLast = !!last && /^exec\s/.test(last.text);
      if (!EXEC_ARGS.test(main.text) && !/\btrap\b/.test(main.text) && !execsLast)
        out.push({
          code: 'SK5002',
          ...where,
          message: `entrypoint ${main.target} of "${s.name}" never runs 'exec "$@"': the command ${Array.isArray(command.value) ? command.value.join(' ') : command.value} runs under the script, which swallows SIGTERM`,
        });
    } else if (
      !/\btrap\b/.test(main.text) &&
      last &&
      !/^exec\s/.test(last.text) &&
      !EXEC_ARGS.test(main.text)
    ) {
      const closer = /^(fi|done|esac|\}|\))\b/.test(last.text);
      if (!(closer && /(^|[;&|]\s*|\bthen\s+|\belse\s+|\bdo\s+)exec\s+\S/m.test(main.text)))
        out.push({
          code: 'SK5002',
          ...where,
          message: `${main.target}, the main process of "${s.name}", does not exec its last command: the script stays PID 1 and SIGTERM never reaches the app`,
        });
    }
  }
  return out;
}

/** Does an `envsubst` call lack the SHELL-FORMAT argument? Returns the offending text. */
export function bareEnvsubst(text: string): string | undefined {
  const re = /(^|[\s;&|(`])envsubst((?:\s+[^\s;&|<>)]+)*)\s*(?=[<>|;&)\n]|$)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const args = words(m[2]).filter((a) => !a.startsWith('-'));
    if (args.length === 0) return `envsubst${m[2]}`.trim();
  }
  return undefined;
}

/** SK2010: envsubst with no variable list over an nginx template that uses nginx `$variables`. */
export function envsubstRules(stack: Stack): StackFinding[] {
  const out: StackFinding[] = [];
  for (const b of stack.balancers) {
    const nginxVars = b.nginx.find((f) => /\$\{?[a-z_][a-z0-9_]*/.test(f.text.replace(/#.*$/gm, '')));
    if (!nginxVars) continue;
    const s = b.service;
    const places: { file: string; line: number; text: string }[] = [];
    const { entrypoint, command } = effectiveCommand(s.entrypoint, s.command, s.imageInfo);
    for (const c of [entrypoint, command])
      if (c)
        places.push({
          file: c.file,
          line: c.line,
          text: Array.isArray(c.value) ? c.value.join(' ') : c.value,
        });
    for (const r of s.imageInfo?.runs ?? []) places.push({ file: r.file, line: r.line, text: r.value });
    for (const sc of b.scripts)
      sc.text
        .split('\n')
        .forEach((t, k) => places.push({ file: sc.file, line: k + 1, text: t.replace(/(^|\s)#.*$/, '') }));
    for (const p of places) {
      const hit = bareEnvsubst(p.text);
      if (hit)
        out.push({
          code: 'SK2010',
          file: p.file,
          line: p.line,
          message: `"${hit}" has no variable list, so it also replaces nginx's own variables in ${nginxVars.file} ($host, $remote_addr…) with empty strings (name the variables: envsubst '\${VAR1} \${VAR2}')`,
        });
    }
  }
  return out;
}
