#!/usr/bin/env node
// Issue 13 figures for the bundles in dist/:
//   node scripts/bench/bundles.mjs [--runs 3] [--peer DIR] [--dist DIR]
// (1) size: total bytes of dist/ (JavaScript and sourcemaps apart), and every file whose content stands
//     in more than one place (a chunk copied into several bundles); the goal is none.
// (2) cold start (wall and CPU time of the process), best of --runs (default 3): `node dist/cli/index.js lint --help` and each action bundle
//     run with no inputs in an empty folder as GitHub runs it (GITHUB_ACTIONS=true and the runner's
//     file-command files: each stops at its first input check, so this is start-up plus reading inputs),
//     with the number of JavaScript files each loads (ES modules cost about a millisecond each). With --peer DIR (a copy of an older dist/, e.g. main's), the same commands run on
//     it interleaved with ours, and the ratio ours/peer is printed: the machine's load hits both alike.
//     Bare `node -e 0` is measured in the same rounds as the floor.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const runs = Number(flag('--runs', '3'));
const peer = flag('--peer', undefined);
const dist = flag('--dist', join(root, 'dist'));

/** Every file below dir, recursively. */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Sizes by kind and the content hashes that stand in more than one file. */
export function sizeReport(dir) {
  const all = files(dir);
  const by = { js: 0, map: 0, other: 0 };
  const hashes = new Map();
  for (const f of all) {
    const size = statSync(f).size;
    by[f.endsWith('.js') ? 'js' : f.endsWith('.map') ? 'map' : 'other'] += size;
    // JavaScript only: the maps of chunks that hold no code of their own are alike and empty.
    if (!f.endsWith('.js')) continue;
    const h = createHash('sha256').update(readFileSync(f)).digest('hex');
    hashes.set(h, [...(hashes.get(h) ?? []), { file: relative(dir, f), size }]);
  }
  const duplicated = [...hashes.values()].filter((list) => list.length > 1);
  return { files: all.length, ...by, total: by.js + by.map + by.other, duplicated };
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
function printSize(label, dir) {
  const r = sizeReport(dir);
  const wasted = r.duplicated.reduce((s, l) => s + l[0].size * (l.length - 1), 0);
  console.log(
    `${label}: ${mb(r.total)} in ${r.files} files (JavaScript ${mb(r.js)}, sourcemaps ${mb(r.map)}); ` +
      `${r.duplicated.length} JavaScript contents stand in more than one file (${mb(wasted)} of copies)`,
  );
}

printSize('dist', dist);
if (peer) printSize('peer', peer);

const steps = readdirSync(join(root, 'actions')).filter((d) => {
  try {
    return statSync(join(root, 'actions', d, 'action.yml')).isFile();
  } catch {
    return false;
  }
});
const empty = mkdtempSync(join(tmpdir(), 'shipkit-bench-bundles-'));
const env = {
  PATH: process.env.PATH,
  HOME: empty,
  GITHUB_ACTIONS: 'true',
  RUNNER_TEMP: empty,
  ...Object.fromEntries(
    ['OUTPUT', 'STATE', 'ENV', 'STEP_SUMMARY'].map((k) => [`GITHUB_${k}`, join(empty, k.toLowerCase())]),
  ),
};
const commands = [
  { name: 'node -e 0 (floor)', args: () => ['-e', '0'], floor: true },
  { name: 'shipkit lint --help', args: (d) => [join(d, 'cli/index.js'), 'lint', '--help'] },
  ...[...steps, 'all'].map((s) => ({ name: `action ${s}`, args: (d) => [join(d, s, 'index.js')] })),
];
// Wall time is at the mercy of other processes on a busy machine; the child's own CPU time (user+sys,
// from wait4's rusage, in microseconds) much less so: both are printed, best of the runs each.
const WAIT4 = `
import os, sys, time
t = time.monotonic()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print((time.monotonic() - t) * 1000, (ru.ru_utime + ru.ru_stime) * 1000)
`;
const time = (argv) => {
  const r = spawnSync('python3', ['-c', WAIT4, process.execPath, ...argv], {
    cwd: empty,
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
    encoding: 'utf8',
    timeout: 30_000,
  });
  const [wall, cpu] = r.stdout.trim().split(' ').map(Number);
  return { wall, cpu };
};
// How many JavaScript files a run loads: a module loader hook (its own thread, so not in the timed runs)
// names each file Node loads.
const HOOKS = `export async function load(url, context, next) {
  if (url.startsWith('file:')) process.stderr.write('shipkit-bench-loaded ' + url + '\\n');
  return next(url, context);
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;
const loaded = (argv) => {
  const r = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, ...argv],
    {
      cwd: empty,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return new Set(r.stderr.match(/^shipkit-bench-loaded .*$/gm)).size;
};
console.log(`cold start, best of ${runs} (load average ${loadavg()[0].toFixed(1)}; 2 shared cores):`);
for (const c of commands) {
  const ours = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) {
    ours.push(time(c.args(dist)));
    if (peer && !c.floor) theirs.push(time(c.args(peer)));
  }
  const best = (list, k) => Math.min(...list.map((t) => t[k]));
  const show = (list) =>
    `wall ${best(list, 'wall').toFixed(0).padStart(4)} ms, CPU ${best(list, 'cpu').toFixed(0).padStart(4)} ms`;
  const files = (d) => (c.floor ? '' : `, ${String(loaded(c.args(d))).padStart(2)} files`);
  const line = `  ${c.name.padEnd(22)} ${show(ours)}${files(dist)}`;
  if (!theirs.length) console.log(line);
  else {
    const ratio = (k) => (best(ours, k) / best(theirs, k)).toFixed(2);
    console.log(
      `${line}   peer ${show(theirs)}${files(peer)}   ratio wall ${ratio('wall')}, CPU ${ratio('cpu')}`,
    );
  }
}
rmSync(empty, { recursive: true, force: true });
