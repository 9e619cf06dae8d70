import { execForm, keyValues, words, type Instruction } from '../parse.js';
import { argsNoFlags, hasAnyFlag, type Command } from '../shell.js';
import { commands, linesWhere, runInfo, type Pass, type RuleDef } from './common.js';

/** Lines of RUNs for which `bad` holds over their commands. */
export function eachRun(p: Pass, bad: (cmds: Command[], i: Instruction) => boolean): number[] {
  return linesWhere(p, (i) => i.keyword === 'RUN' && bad(commands(i), i));
}

const anyCmd = (names: readonly string[]) => (cmds: Command[]) => cmds.some((c) => names.includes(c.name));

const SENSITIVE = new Set([
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_CLIENT_SECRET', 'GITHUB_TOKEN',
  'GH_TOKEN', 'GITLAB_TOKEN', 'NPM_TOKEN', 'OPENAI_API_KEY', 'DOCKER_PASSWORD', 'SLACK_TOKEN',
]); // prettier-ignore
const SENSITIVE_PARTS = ['api_key', 'client_key', 'password', 'private', 'secret', 'token', 'username'];

export function sensitive(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE.has(name.toUpperCase()) || SENSITIVE_PARTS.some((p) => lower.includes(p));
}

export const runRules: RuleDef[] = [
  {
    code: 'DL3001',
    severity: 'info',
    onbuild: true,
    message:
      'For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`',
    check: (p) =>
      eachRun(p, anyCmd(['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim'])),
  },
  {
    code: 'DL3003',
    severity: 'warning',
    message: 'Use WORKDIR to switch to a directory',
    check: (p) => eachRun(p, anyCmd(['cd'])),
  },
  {
    code: 'DL3004',
    severity: 'error',
    onbuild: true,
    message: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root',
    check: (p) => eachRun(p, anyCmd(['sudo'])),
  },
  {
    code: 'DL3027',
    severity: 'warning',
    onbuild: true,
    message: 'Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead',
    check: (p) => eachRun(p, anyCmd(['apt'])),
  },
  {
    code: 'DL4005',
    severity: 'warning',
    onbuild: true,
    message: 'Use SHELL to change the default shell',
    check: (p) => eachRun(p, (cmds) => cmds.some((c) => c.name === 'ln' && c.args.includes('/bin/sh'))),
  },
  {
    code: 'DL3046',
    severity: 'warning',
    onbuild: true,
    message: '`useradd` without flag `-l` and high UID will result in excessively large Image.',
    check: (p) =>
      eachRun(p, (cmds) =>
        cmds.some((c) => {
          if (c.name !== 'useradd' || hasAnyFlag(c, ['l', 'no-log-init'])) return false;
          const uid = optionValue(c.args, ['-u', '--uid']);
          return uid !== undefined && uid.length > 5;
        }),
      ),
  },
  {
    code: 'DL3047',
    severity: 'info',
    onbuild: true,
    message:
      'Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).',
    check: (p) =>
      eachRun(p, (cmds) =>
        cmds.some(
          (c) =>
            c.name === 'wget' &&
            !c.args.includes('-nv') &&
            !hasAnyFlag(c, [
              'progress',
              'q',
              'quiet',
              'o',
              'output-file',
              'a',
              'append-output',
              'no-verbose',
            ]),
        ),
      ),
  },
  {
    code: 'DL4001',
    severity: 'warning',
    onbuild: true,
    message: 'Either use Wget or Curl but not both',
    check: (p) => {
      let seen = new Set<string>();
      return linesWhere(p, (i) => {
        if (i.keyword === 'FROM') seen = new Set();
        if (i.keyword !== 'RUN') return false;
        const used = commands(i)
          .filter((c) => c.name === 'curl' || c.name === 'wget')
          .map((c) => c.name);
        used.forEach((u) => seen.add(u));
        return used.length > 0 && seen.size === 2;
      });
    },
  },
  {
    code: 'DL4006',
    severity: 'warning',
    message:
      'Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check',
    check: (p) => {
      let safe = false;
      return linesWhere(p, (i) => {
        if (i.keyword === 'FROM') safe = false;
        if (i.keyword === 'SHELL') safe = pipefailShell(execForm(i.rest) ?? words(i.rest));
        // Difference (hadolint#806): a heredoc body that sets pipefail itself is safe.
        const own = i.heredocs.length > 0 && i.heredocs.every((h) => PIPEFAIL.test(h.body));
        return i.keyword === 'RUN' && !safe && !own && runInfo(i).shell.hasPipe;
      });
    },
  },
  {
    code: 'DL3059',
    severity: 'info',
    message: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
    check: (p) => {
      const single = (x: Instruction) => runInfo(x).shell.chains === 0 && x.heredocs.length === 0;
      let prev: Instruction | undefined;
      return linesWhere(p, (i) => {
        if (i.keyword === '#') return false;
        const last = prev;
        prev = i.keyword === 'RUN' ? i : undefined;
        // A RUN right after another (comments between do not count), both one command, same flags.
        return !!last && !!prev && single(last) && single(i) && runInfo(last).flagKey === runInfo(i).flagKey;
      });
    },
  },
  {
    code: 'DL3044',
    severity: 'error',
    message: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
    check: (p) => {
      const known = new Set<string>();
      return linesWhere(p, (i) => {
        if (i.keyword === 'ARG') known.add(argName(i.rest));
        if (i.keyword !== 'ENV') return false;
        const pairs = keyValues(i.rest);
        const bad = pairs.some((pair, k) =>
          pairs.some((other, j) => j !== k && !known.has(pair.key) && refersTo(other.value, pair.key)),
        );
        pairs.forEach((pair) => known.add(pair.key));
        return bad;
      });
    },
  },
  {
    code: 'DL3064',
    severity: 'warning',
    onbuild: true,
    message: 'Potentially sensitive data should not be used in the `ARG` or `ENV` commands',
    check: (p) =>
      p.instructions
        .filter(
          (i) =>
            (i.keyword === 'ARG' && sensitive(argName(i.rest))) ||
            (i.keyword === 'ENV' && keyValues(i.rest).some((kv) => sensitive(kv.key))),
        )
        .map((i) => i.line),
  },
  {
    code: 'DL3066',
    severity: 'info',
    message: 'Non-numeric user-id may not be resolvable by host system',
    check: (p) => {
      const args = new Set<string>();
      const lines: number[] = [];
      for (const i of p.instructions) {
        if (i.keyword === 'ARG') args.add(argName(i.rest));
        if (i.keyword !== 'USER') continue;
        const uid = (words(i.rest)[0] ?? '').split(':')[0];
        if (/^\d+$/.test(uid)) continue;
        const refs = [...uid.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
        if (refs.length > 0 && refs.some((r) => args.has(r))) continue;
        lines.push(i.line);
      }
      return lines;
    },
  },
];

const PIPEFAIL = /^\s*set\s+(-[A-Za-z]*o\s+pipefail|-o\s+pipefail)/m;

export function argName(rest: string): string {
  return (words(rest)[0] ?? '').split('=')[0];
}

function refersTo(value: string, name: string): boolean {
  if (value.includes('${' + name + '}') || value.includes('${' + name + ':')) return true;
  return new RegExp('\\$' + name.replace(/[^\w]/g, '') + '(?![A-Za-z0-9_])').test(value);
}

function optionValue(args: string[], names: string[]): string | undefined {
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    for (const n of names) {
      if (a === n) return args[k + 1];
      if (a.startsWith(n + '=')) return a.slice(n.length + 1);
      if (n.length === 2 && a.startsWith(n) && a.length > 2) return a.slice(2);
    }
  }
  return undefined;
}

function pipefailShell(shell: string[]): boolean {
  const exe = (shell[0] ?? '').split(/[\\/]/).pop() ?? '';
  if (/^(pwsh|powershell|cmd)/i.test(exe)) return true;
  if (!['bash', 'zsh', 'ash'].includes(exe)) return false;
  return shell.some((a, k) => a === 'pipefail' && k > 0 && /^-[A-Za-z]*o$/.test(shell[k - 1]));
}

export { argsNoFlags };
