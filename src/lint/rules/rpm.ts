import { keyValues, type Instruction } from '../parse.js';
import { argsNoFlags, cmdHasArgs, hasAnyFlag } from '../shell.js';
import { hasCacheMount, missingAfter, runInfo, some, type Pass, type RuleDef } from './common.js';
import { eachRun } from './run.js';

// The RPM family (yum, dnf, microdnf, zypper): -y switches, cleanup and version pinning.

/** ARG names and this stage's ENV names (inherited through `FROM <alias>`), per RUN. */
function knownVars(p: Pass): Map<Instruction, Set<string>> {
  const out = new Map<Instruction, Set<string>>();
  const args = new Set<string>();
  const stageVars = new Map<string, Set<string>>();
  let env = new Set<string>();
  for (const i of p.instructions) {
    if (i.keyword === 'FROM') {
      const w = i.rest.split(/\s+/);
      env = new Set(stageVars.get(w[0]) ?? []);
      const as = w.findIndex((x) => x.toLowerCase() === 'as');
      if (as > 0 && w[as + 1]) stageVars.set(w[as + 1], env);
    }
    if (i.keyword === 'ARG') args.add(i.rest.split(/[=\s]/)[0]);
    if (i.keyword === 'ENV') for (const { key } of keyValues(i.rest)) env.add(key);
    out.set(i, new Set([...args, ...env]));
  }
  return out;
}

function rpmPinned(pkg: string, vars: Set<string>): boolean {
  if (pkg.endsWith('.rpm')) return true;
  for (const m of pkg.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) if (vars.has(m[1])) return true;
  const parts = pkg.split('-').slice(1);
  return (
    parts.length > 0 && parts.every((x) => /^[A-Za-z0-9.~^_:+]*$/.test(x)) && parts.some((x) => /^\d/.test(x))
  );
}

/** DL3033/DL3041: every package of `tools install` pinned; modules need `name:stream`. */
function rpmVersions(p: Pass, tools: string[], groupExempt: boolean): number[] {
  const vars = knownVars(p);
  return eachRun(p, (cmds, i) =>
    cmds.some((c) => {
      if (!tools.includes(c.name)) return false;
      const plain = argsNoFlags(c);
      if (plain[0] === 'module' && plain[1] === 'install')
        return plain.slice(2).some((x) => !x.includes(':'));
      if (plain[0] === 'module') return false;
      if (!plain.includes('install')) return false;
      if (groupExempt && plain.some((x) => x.startsWith('group') || x.startsWith('@'))) return false;
      const pkgs = plain.filter((x) => x !== 'install');
      return pkgs.some((x) => !rpmPinned(x, vars.get(i) ?? new Set()));
    }),
  );
}

export const rpmRules: RuleDef[] = [
  {
    code: 'DL3030',
    severity: 'warning',
    onbuild: true,
    message: 'Use the -y switch to avoid manual input `yum install -y <package>`',
    check: (p) =>
      eachRun(
        p,
        some(
          (c) =>
            cmdHasArgs('yum', ['install', 'groupinstall', 'localinstall'], c) &&
            !hasAnyFlag(c, ['y', 'assumeyes']),
        ),
      ),
  },
  {
    code: 'DL3032',
    severity: 'warning',
    onbuild: true,
    message: '`yum clean all` missing after yum command.',
    check: (p) =>
      eachRun(p, (cmds) =>
        missingAfter(
          cmds,
          (c) => cmdHasArgs('yum', ['install'], c),
          (c) => cmdHasArgs('yum', ['clean', 'all'], c) || cmdHasArgs('rm', ['-rf'], c),
        ),
      ),
  },
  {
    code: 'DL3033',
    severity: 'warning',
    onbuild: true,
    message: 'Specify version with `yum install -y <package>-<version>`.',
    check: (p) => rpmVersions(p, ['yum'], false),
  },
  {
    code: 'DL3034',
    severity: 'warning',
    onbuild: true,
    message: 'Non-interactive switch missing from `zypper` command: `zypper install -y`',
    check: (p) =>
      eachRun(
        p,
        some(
          (c) =>
            cmdHasArgs('zypper', ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch'], c) &&
            !hasAnyFlag(c, ['n', 'non-interactive', 'y', 'no-confirm']),
        ),
      ),
  },
  {
    code: 'DL3035',
    severity: 'warning',
    onbuild: true,
    message: 'Do not use `zypper dist-upgrade`.',
    check: (p) =>
      eachRun(
        p,
        some((c) => cmdHasArgs('zypper', ['dist-upgrade', 'dup'], c)),
      ),
  },
  {
    code: 'DL3036',
    severity: 'warning',
    onbuild: true,
    message: '`zypper clean` missing after zypper use.',
    check: (p) =>
      eachRun(
        p,
        (cmds, i) =>
          !hasCacheMount(runInfo(i), '/var/cache/zypp') &&
          missingAfter(
            cmds,
            (c) => cmdHasArgs('zypper', ['install', 'in'], c),
            (c) => cmdHasArgs('zypper', ['clean', 'cc'], c),
          ),
      ),
  },
  {
    code: 'DL3037',
    severity: 'warning',
    onbuild: true,
    message: 'Specify version with `zypper install -y <package>=<version>`.',
    check: (p) =>
      eachRun(
        p,
        some(
          (c) =>
            cmdHasArgs('zypper', ['install', 'in'], c) &&
            argsNoFlags(c).some(
              (x) => !['install', 'in'].includes(x) && !/(=|>|<)/.test(x) && !x.endsWith('.rpm'),
            ),
        ),
      ),
  },
  {
    code: 'DL3038',
    severity: 'warning',
    onbuild: true,
    message: 'Use the -y switch to avoid manual input `dnf install -y <package>`',
    check: (p) =>
      eachRun(
        p,
        some(
          (c) =>
            ['dnf', 'microdnf'].some((n) => cmdHasArgs(n, ['install', 'groupinstall', 'localinstall'], c)) &&
            !hasAnyFlag(c, ['y', 'assumeyes']),
        ),
      ),
  },
  {
    code: 'DL3040',
    severity: 'warning',
    onbuild: true,
    message: '`dnf clean all` missing after dnf command.',
    check: (p) =>
      eachRun(p, (cmds, i) => {
        const info = runInfo(i);
        if (hasCacheMount(info, '/var/cache/libdnf5') || hasCacheMount(info, '.cache/libdnf5')) return false;
        const subs = ['install', 'in', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei'];
        return ['dnf', 'microdnf'].some((tool) =>
          missingAfter(
            cmds,
            (c) => cmdHasArgs(tool, subs, c),
            (c) => cmdHasArgs(tool, ['clean', 'all'], c) || cmdHasArgs('rm', ['-rf'], c),
          ),
        );
      }),
  },
  {
    code: 'DL3041',
    severity: 'warning',
    onbuild: true,
    message: 'Specify version with `dnf install -y <package>-<version>`.',
    check: (p) => rpmVersions(p, ['dnf', 'microdnf'], true),
  },
];
