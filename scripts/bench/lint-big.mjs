#!/usr/bin/env node
// lint on big files (issue 12 item 5). Prints, for the built CLI (npm run build first):
//  (a) a 1,500-RUN Dockerfile (~35 KB) linted with ShellCheck under `ulimit -n 256`: exit code, wall,
//      CPU (ours + children) and peak RSS; beside it `shellcheck` alone on the same 1,500 bodies
//      (one process, same options) as the peer, and the ratio;
//  (b) a 10 MB Dockerfile of RUN lines: how fast it is refused, exit code, peak RSS, the message;
//  (c) with --at-limit: a file just under the 1 MiB limit, all RUN lines (the worst case accepted).
//   node scripts/bench/lint-big.mjs [--runs 3] [--at-limit]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli', 'index.js');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 3) || 3;
const atLimit = process.argv.includes('--at-limit');
const TIME = '/usr/bin/time';
if (!existsSync(cli)) throw new Error('build first: npm run build');
if (!existsSync(TIME)) throw new Error('needs GNU time at /usr/bin/time (apt-get install time)');

const work = mkdtempSync(join(tmpdir(), 'sklint-bigbench-'));
const PROXY = [
  'FTP_PROXY',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'ftp_proxy',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/** Runs `cmd` under bash with GNU time; returns exit code, wall s, CPU s (incl. children), peak RSS MB. */
function timed(cmd, cwd) {
  const r = spawnSync('bash', ['-c', `${TIME} -f '%e %U %S %M' -o ${work}/time.txt bash -c '${cmd}'`], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const [wall, user, sys, kb] = spawnSync('cat', [`${work}/time.txt`], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .pop()
    .split(' ')
    .map(Number);
  return { code: r.status, wall, cpu: user + sys, rssMb: kb / 1024, stdout: r.stdout, stderr: r.stderr };
}

const best = (n, f) => {
  const all = Array.from({ length: n }, f);
  return all.reduce((a, b) => (b.wall < a.wall ? b : a));
};
const fmt = (x) =>
  `exit ${x.code}, ${x.wall.toFixed(2)} s wall, ${x.cpu.toFixed(2)} s CPU, ${x.rssMb.toFixed(0)} MB peak RSS`;

// (a) 1,500 RUN lines under ulimit -n 256
const a = join(work, 'a');
mkdirSync(join(a, 'jobs'), { recursive: true });
const bodies = Array.from({ length: 1500 }, (_, k) => `echo step${k} $HOME`);
writeFileSync(join(a, 'Dockerfile'), ['FROM debian:12', ...bodies.map((b) => `RUN ${b}`), ''].join('\n'));
bodies.forEach((b, k) =>
  writeFileSync(
    join(a, 'jobs', `run${k}.sh`),
    ['#!/bin/sh', ...PROXY.map((v) => `export ${v}=1`), b, ''].join('\n'),
  ),
);
const ours = best(runs, () =>
  timed(`ulimit -n 256 && exec node ${cli} lint -f json --no-fail Dockerfile > out.json`, a),
);
const peer = best(runs, () =>
  timed('shellcheck --norc -f json1 -S style -e SC2187,SC1090,SC1091 jobs/*.sh > sc.json; true', a),
);
const findings = JSON.parse(spawnSync('cat', [join(a, 'out.json')], { encoding: 'utf8' }).stdout || '[]');
console.log(`(a) 1,500 RUN lines, ulimit -n 256, best of ${runs}`);
console.log(`    shipkit lint:     ${fmt(ours)}; ${findings.filter((f) => f.code === 'SC2086').length} SC2086 findings (one per RUN expected)`); // prettier-ignore
console.log(`    shellcheck alone: ${fmt(peer)}`);
console.log(`    ratio shipkit/shellcheck: ${(ours.wall / peer.wall).toFixed(2)}x wall, ${(ours.cpu / peer.cpu).toFixed(2)}x CPU`); // prettier-ignore
if (ours.stderr.trim()) console.log(`    stderr: ${ours.stderr.trim()}`);

// (b) a 10 MB file
const b = join(work, 'b');
mkdirSync(b);
const line = 'RUN echo a line of a ten megabyte Dockerfile $HOME\n';
writeFileSync(
  join(b, 'Dockerfile'),
  'FROM debian:12\n' + line.repeat(Math.ceil((10 * 1000 * 1000) / line.length)),
);
const refused = best(runs, () => timed(`exec node ${cli} lint Dockerfile`, b));
console.log(
  `(b) 10 MB Dockerfile (${Math.ceil((10 * 1000 * 1000) / line.length)} RUN lines), best of ${runs}`,
);
console.log(`    shipkit lint: ${fmt(refused)}`);
console.log(`    message: ${(refused.stderr + refused.stdout).trim().split('\n')[0]}`);

// (c) the worst case the limit lets through
if (atLimit) {
  const c = join(work, 'c');
  mkdirSync(c);
  const n = Math.floor((1024 * 1024 - 20) / line.length);
  writeFileSync(join(c, 'Dockerfile'), 'FROM debian:12\n' + line.repeat(n));
  const worst = timed(`exec node ${cli} lint -f json --no-fail Dockerfile > out.json`, c);
  console.log(`(c) just under the 1 MiB limit (${n} RUN lines), one run`);
  console.log(`    shipkit lint: ${fmt(worst)}`);
}
rmSync(work, { recursive: true, force: true });
