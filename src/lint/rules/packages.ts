import { keyValues, type Instruction } from '../parse.js';
import { argsNoFlags, cmdHasArgs, dropFlagArg, hasAnyFlag, hasFlag, type Command } from '../shell.js';
import {
  commands,
  hasCacheMount,
  linesWhere,
  missingAfter,
  runInfo,
  some,
  type Pass,
  type RuleDef,
} from './common.js';
import { eachRun } from './run.js';

const aptInstall = (c: Command) => cmdHasArgs('apt-get', ['install'], c);

// Options of `pip install` (and pip's general options) and of `pipx install` that take a value:
// the word after them is that value, not a package (`--root-user-action ignore`, `--python "$(…)"`).
const PIP_VALUE_FLAGS = [
  'abi', 'b', 'build', 'c', 'constraint', 'e', 'editable', 'extra-index-url', 'f', 'find-links', 'i', 'index-url',
  'implementation', 'platform', 'prefix', 'progress-bar', 'python-version', 'root', 'src', 't', 'target',
  'trusted-host', 'upgrade-strategy', 'log', 'log-file', 'proxy', 'retries', 'timeout', 'exists-action', 'cert',
  'client-cert', 'cache-dir', 'no-binary', 'only-binary', 'global-option', 'install-option', 'r', 'requirement',
  'root-user-action', 'report', 'C', 'config-settings', 'python', 'keyring-provider', 'use-feature',
  'use-deprecated', 'build-option', 'config-setting', 'group',
  // pipx install
  'suffix', 'pip-args', 'preinstall', 'backend', 'spec',
]; // prettier-ignore

/** `pip* install` (pipx included unless `noPipx`) or `python* -m pip install`. */
function pipInstall(c: Command, noPipx = false): boolean {
  const plain = argsNoFlags(c);
  if (/^pip/.test(c.name) && c.name !== 'pipenv' && !(noPipx && c.name === 'pipx'))
    return plain.includes('install');
  if (/^python/.test(c.name)) {
    const m = c.args.indexOf('-m');
    return m >= 0 && c.args[m + 1] === 'pip' && c.args.slice(m + 2).includes('install');
  }
  return false;
}

function pipPinned(pkg: string): boolean {
  if (/^(git\+|hg\+|svn|bzr\+)/.test(pkg)) return pkg.includes('@');
  if (pkg.includes('/')) return true;
  if (/(==|>=|<=|>|<|!=|~=|===)/.test(pkg)) return true;
  return pkg.endsWith('.whl') || pkg.endsWith('.tar.gz');
}

/** The words after the first `install` (as hadolint's stripInstallPrefix), option values dropped. */
function pipPackages(c: Command): string[] {
  const words = argsNoFlags(dropFlagArg(PIP_VALUE_FLAGS, c));
  let at = words.indexOf('install');
  if (at < 0) return [];
  while (words[at] === 'install') at++;
  return words.slice(at);
}

function npmPinned(pkg: string): boolean {
  if (/^(git(\+ssh|\+https?|\+file)?:\/\/|github:|gitlab:|bitbucket:|gist:)/.test(pkg))
    return pkg.includes('#');
  if (/\.(tar|tar\.gz|tgz)$/.test(pkg) || /^(\/|\.\/|\.\.\/|~\/)/.test(pkg)) return true;
  const name = pkg.startsWith('@') ? pkg.slice(pkg.indexOf('/') + 1) : pkg;
  return name.includes('@');
}

/** DL3009/DL3060: only stages that are last, or used as a later FROM's base, report. */
function reportedStages(p: Pass, bad: (i: Instruction) => boolean): number[] {
  const fails: { line: number; stage: number }[] = [];
  const aliases: (string | undefined)[] = [];
  const used = new Set<number>();
  let stage = -1;
  for (const i of p.instructions) {
    if (i.keyword === 'FROM') {
      const w = i.rest.split(/\s+/);
      const base = aliases.indexOf(w[0]);
      if (base >= 0) used.add(base);
      const as = w.findIndex((x) => x.toLowerCase() === 'as');
      aliases.push(as > 0 ? w[as + 1] : undefined);
      stage++;
    } else if (i.keyword === 'RUN' && bad(i)) fails.push({ line: i.line, stage });
  }
  return fails.filter((f) => f.stage === stage || used.has(f.stage)).map((f) => f.line);
}

export const packageRules: RuleDef[] = [
  {
    code: 'DL3008',
    severity: 'warning',
    onbuild: true,
    message:
      'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
    check: (p) =>
      eachRun(
        p,
        some(
          (c) =>
            aptInstall(c) &&
            argsNoFlags(dropFlagArg(['t', 'target-release'], c)).some(
              (a) => a !== 'install' && !a.includes('=') && !a.includes('/') && !a.endsWith('.deb'),
            ),
        ),
      ),
  },
  {
    code: 'DL3009',
    severity: 'info',
    onbuild: true,
    message: 'Delete the apt lists (/var/lib/apt/lists) after installing something',
    check: (p) =>
      reportedStages(p, (i) => {
        const cmds = commands(i);
        const update = cmds.some((c) =>
          ['apt', 'apt-get', 'aptitude'].some((n) => cmdHasArgs(n, ['update'], c)),
        );
        const clean = cmds.some((c) => cmdHasArgs('rm', ['-rf', '/var/lib/apt/lists/*'], c));
        const info = runInfo(i);
        const mount =
          hasCacheMount(info, '/var/lib/apt/lists') ||
          (hasCacheMount(info, '/var/lib/apt') && hasCacheMount(info, '/var/cache/apt'));
        return update && !clean && !mount;
      }),
  },
  {
    code: 'DL3013',
    severity: 'warning',
    onbuild: true,
    message:
      'Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`',
    check: (p) =>
      eachRun(
        p,
        some((c) => {
          if (!pipInstall(c)) return false;
          if (hasAnyFlag(c, ['r', 'requirement', 'c', 'constraint']) || c.args.includes('.')) return false;
          return pipPackages(c).some((x) => !pipPinned(x));
        }),
      ),
  },
  {
    code: 'DL3042',
    severity: 'warning',
    onbuild: true,
    message: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
    check: (p) => {
      let envOff = false;
      const stageOff = new Map<string, boolean>();
      let alias: string | undefined;
      return linesWhere(p, (i) => {
        if (i.keyword === 'FROM') {
          const w = i.rest.split(/\s+/);
          envOff = stageOff.get(w[0]) ?? false;
          const as = w.findIndex((x) => x.toLowerCase() === 'as');
          alias = as > 0 ? w[as + 1] : undefined;
          if (alias) stageOff.set(alias, envOff);
          return false;
        }
        const truthy = /^(1|true|True|TRUE|on|On|ON|yes|Yes|YES)$/;
        if (
          i.keyword === 'ENV' &&
          keyValues(i.rest).some((kv) => kv.key === 'PIP_NO_CACHE_DIR' && truthy.test(kv.value))
        ) {
          envOff = true;
          if (alias) stageOff.set(alias, true);
        }
        if (i.keyword !== 'RUN' || envOff) return false;
        const info = runInfo(i);
        if (TRUTHY_PIP.test(info.shell.text) || hasCacheMount(info, '.cache/pip')) return false;
        return info.shell.commands.some((c) => pipInstall(c, true) && !hasFlag(c, 'no-cache-dir'));
      });
    },
  },
  {
    code: 'DL3014',
    severity: 'warning',
    onbuild: true,
    message: 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`',
    check: (p) =>
      eachRun(
        p,
        some((c) => {
          if (!aptInstall(c)) return false;
          const count = (f: string) => c.flags.filter((x) => x === f).length;
          const quiet =
            count('q') >= 2 || count('quiet') >= 2 || (hasFlag(c, 'q') && c.args.includes('-q=2'));
          return !hasAnyFlag(c, ['y', 'yes', 'assume-yes']) && !quiet;
        }),
      ),
  },
  {
    code: 'DL3015',
    severity: 'info',
    onbuild: true,
    message: 'Avoid additional packages by specifying `--no-install-recommends`',
    check: (p) =>
      eachRun(
        p,
        some(
          (c) =>
            aptInstall(c) &&
            !hasFlag(c, 'no-install-recommends') &&
            !c.args.includes('APT::Install-Recommends=false'),
        ),
      ),
  },
  {
    code: 'DL3016',
    severity: 'warning',
    onbuild: true,
    message: 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`',
    check: unpinnedInstall('npm', npmPackages, npmPinned),
  },
  {
    code: 'DL3018',
    severity: 'warning',
    onbuild: true,
    message: 'Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`',
    check: (p) =>
      eachRun(
        p,
        some(
          (c) =>
            cmdHasArgs('apk', ['add'], c) &&
            argsNoFlags(dropFlagArg(['t', 'virtual', 'repository', 'X'], c)).some(
              (x) => x !== 'add' && !/[=~><]/.test(x) && !x.endsWith('.apk'),
            ),
        ),
      ),
  },
  {
    code: 'DL3019',
    severity: 'info',
    onbuild: true,
    message:
      'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages',
    check: (p) =>
      eachRun(
        p,
        (cmds, i) =>
          !hasCacheMount(runInfo(i), '/var/cache/apk') &&
          cmds.some((c) => cmdHasArgs('apk', ['add'], c) && !hasFlag(c, 'no-cache')),
      ),
  },
  {
    code: 'DL3028',
    severity: 'warning',
    onbuild: true,
    message: 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`',
    check: (p) =>
      eachRun(
        p,
        some((c) => gemUnpinned(c)),
      ),
  },
  {
    code: 'DL3060',
    severity: 'info',
    onbuild: true,
    message: '`yarn cache clean` missing after `yarn install` was run.',
    check: (p) =>
      reportedStages(
        p,
        (i) =>
          !hasCacheMount(runInfo(i), '.cache/yarn') &&
          missingAfter(
            commands(i),
            (c) => cmdHasArgs('yarn', ['install'], c),
            (c) => c.name === 'yarn' && c.args.includes('cache') && c.args.includes('clean'),
          ),
      ),
  },
  {
    code: 'DL3062',
    severity: 'warning',
    onbuild: true,
    message: 'Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`',
    check: unpinnedInstall('go', goPackages, goPinned),
  },
];

/** A "pin versions" check: the RUNs where `tool` installs a package that `pinned` does not accept. */
function unpinnedInstall(
  tool: string,
  packages: (c: Command) => string[],
  pinned: (pkg: string) => boolean,
): (p: Pass) => number[] {
  return (p) =>
    eachRun(
      p,
      some((c) => c.name === tool && packages(c).some((x) => !pinned(x))),
    );
}

/** The packages of `npm install` (none for other npm commands). */
function npmPackages(c: Command): string[] {
  const plain = argsNoFlags(dropFlagArg(['loglevel', 'registry'], c));
  return plain[0] === 'install' ? plain.slice(1) : [];
}

/** The packages of `go install` / `go get`, and the one of `go run`. */
function goPackages(c: Command): string[] {
  const plain = argsNoFlags(c);
  if (plain[0] === 'install' || plain[0] === 'get') return plain.slice(1);
  return plain[0] === 'run' ? plain.slice(1, 2) : [];
}

const TRUTHY_PIP = /PIP_NO_CACHE_DIR=["']?(1|true|True|TRUE|on|On|ON|yes|Yes|YES)\b/;

function goPinned(pkg: string): boolean {
  if (pkg === '.' || pkg.startsWith('/') || pkg.startsWith('.')) return true;
  const at = pkg.lastIndexOf('@');
  if (at < 0) return false;
  const v = pkg.slice(at + 1);
  return v !== 'latest' && v !== 'none' && v !== '';
}

function gemUnpinned(c: Command): boolean {
  if (!cmdHasArgs('gem', ['install', 'i'], c)) return false;
  if (c.args.some((a) => a === '-v' || a === '--version' || a.startsWith('--version='))) return false;
  const pkgs: string[] = [];
  for (let k = 0; k < c.args.length; k++) {
    const a = c.args[k];
    if (a === '--') break;
    // (quirk) every option without an inline `=value` takes the next word as its value:
    // `-N bundler`, and `bundler:2.0.1 --use-system-libraries true` is pinned.
    if (a.startsWith('-')) {
      if (!a.includes('=')) k++;
    } else if (a !== 'install' && a !== 'i') pkgs.push(a);
  }
  return pkgs.some((x) => !x.includes(':'));
}
