#!/usr/bin/env node
// Stack lint (issue 15). Builds the CLI from src into a temp folder (dist/ is rebuilt by the lead), then prints:
//  (a) findings on examples/lb-stack, nginx variant (compose.yml) and HAProxy variant (+ compose.haproxy.yml);
//  (b) the time the stack rules add to `shipkit lint` on the example: median wall and CPU time of `lint --stack true`
//      minus `lint --stack false` (same process start, same Dockerfiles, ShellCheck on), over --runs runs each,
//      interleaved; beside it the in-process time of the stack check alone;
//  (c) every rule's fixture pair (test/lint/stack/fixtures/<code>/{bad,good}): bad caught (the code is
//      reported), good clean (no finding at all). TLS pairs get certificates made by openssl here.
//   node scripts/bench/lint-stack.mjs [--runs 15]
import { buildSync } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 15) || 15;
const work = mkdtempSync(join(tmpdir(), 'sklintstack-bench-'));
const banner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";
try {
  const cli = join(work, 'cli.mjs');
  buildSync({
    entryPoints: [join(root, 'src/entries/cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: cli,
    banner: { js: banner },
    logLevel: 'error',
  });
  const lib = join(work, 'stack.mjs');
  buildSync({
    entryPoints: [join(root, 'src/lint/stack/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: lib,
    banner: { js: banner },
    logLevel: 'error',
  });
  const { lintStack } = await import(pathToFileURL(lib).href);
  const env = { PATH: process.env.PATH ?? '', HOME: work };
  const lint = (cwd, args) => spawnSync('node', [cli, 'lint', ...args], { cwd, env, encoding: 'utf8' });
  const example = join(root, 'examples', 'lb-stack');

  console.log('(a) findings on examples/lb-stack (stack on, json):');
  for (const [variant, files] of [
    ['nginx', 'compose.yml'],
    ['HAProxy', 'compose.yml,compose.haproxy.yml'],
  ]) {
    const r = lint(example, ['--stack', 'true', '--compose-file', files, '-f', 'json']);
    const found = JSON.parse(r.stdout || '[]');
    console.log(
      `  ${variant.padEnd(8)} exit ${r.status}, ${found.length} finding(s) (${found.filter((f) => f.code.startsWith('SK')).length} SK)`,
    );
  }

  console.log(
    `(b) time added by the stack rules to \`shipkit lint\` on the example (${runs} runs each, interleaved):`,
  );
  // wall (what a user waits) and CPU (user+sys from GNU time: less sensitive to other helpers' load)
  const wall = { off: [], on: [] };
  const cpu = { off: [], on: [] };
  for (let i = 0; i < runs; i++)
    for (const mode of ['off', 'on']) {
      const args = ['-f', '%U %S', 'node', cli, 'lint', '--stack', mode === 'on' ? 'true' : 'false'];
      const t0 = process.hrtime.bigint();
      const r = spawnSync('/usr/bin/time', args, { cwd: example, env, encoding: 'utf8' });
      wall[mode].push(Number(process.hrtime.bigint() - t0) / 1e6);
      const [u, sy] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
      cpu[mode].push((u + sy) * 1000);
    }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const opts = { certDays: 30, maxResolverValid: 30, maxFileSize: 1 << 20, now: new Date() };
  const inproc = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    lintStack(example, ['compose.yml', 'compose.haproxy.yml'], opts, {});
    lintStack(example, ['compose.yml'], opts, {});
    inproc.push(Number(process.hrtime.bigint() - t0) / 1e6 / 2);
  }
  console.log(
    `  lint --stack false: median ${median(wall.off).toFixed(0)} ms wall, ${median(cpu.off).toFixed(0)} ms CPU; --stack true: median ${median(wall.on).toFixed(0)} ms wall, ${median(cpu.on).toFixed(0)} ms CPU`,
  );
  console.log(
    `  added CPU (user+sys, GNU time, 10 ms resolution): ${(median(cpu.on) - median(cpu.off)).toFixed(0)} ms`,
  );
  console.log(
    `  added wall: ${(median(wall.on) - median(wall.off)).toFixed(0)} ms (limit 100 ms); stack check alone in process: median ${median(inproc).toFixed(1)} ms per variant (first run ${inproc[0].toFixed(1)} ms)`,
  );

  console.log('(c) fixture pairs (bad caught / good clean):');
  const fixtures = join(root, 'test', 'lint', 'stack', 'fixtures');
  let caught = 0;
  let clean = 0;
  const codes = readdirSync(fixtures).sort();
  for (const code of codes) {
    const result = {};
    for (const kind of ['bad', 'good']) {
      const dir = join(work, code, kind);
      cpSync(join(fixtures, code, kind), dir, { recursive: true });
      if (code.startsWith('SK6')) certs(dir, code, kind);
      const found = JSON.parse(lint(dir, ['-f', 'json']).stdout || '[]');
      result[kind] = found;
    }
    const ok = result.bad.some((f) => f.code === code);
    const cleanGood = result.good.length === 0;
    caught += ok ? 1 : 0;
    clean += cleanGood ? 1 : 0;
    const where = result.bad
      .filter((f) => f.code === code)
      .map((f) => `${f.file}:${f.line}`)
      .join(', ');
    console.log(
      `  ${code}: bad ${ok ? `caught at ${where}` : 'MISSED'}; good ${cleanGood ? 'clean' : `${result.good.length} finding(s): ${result.good.map((f) => f.code).join(',')}`}`,
    );
  }
  console.log(
    `  ${caught}/${codes.length} bad fixtures caught, ${clean}/${codes.length} good fixtures with 0 findings`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Certificates for the TLS fixtures, made by openssl through a throwaway CA (past dates possible). */
function certs(dir, code, kind) {
  const day = (d) =>
    new Date(Date.now() + d * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const plan = {
    SK6001: [-400, -10, 'shop.example.com'],
    SK6002: [-10, 12, 'shop.example.com'],
    SK6003: [-1, 365, 'www.example.org'],
  };
  const [from, to, name] = kind === 'good' ? [-1, 365, 'shop.example.com'] : plan[code];
  const ca = mkdtempSync(join(work, 'ca-'));
  const run = (args) => execFileSync('openssl', args, { cwd: ca, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    '/CN=bench ca',
    '-days',
    '3650',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    's.key',
    '-out',
    's.csr',
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=DNS:${name}`,
  ]);
  writeFileSync(join(ca, 'index.txt'), '');
  writeFileSync(join(ca, 'serial'), '01\n');
  writeFileSync(
    join(ca, 'ca.cnf'),
    '[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n',
  );
  run([
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.crt',
    '-keyfile',
    'ca.key',
    '-in',
    's.csr',
    '-out',
    's.crt',
    '-startdate',
    day(from),
    '-enddate',
    day(to),
    '-notext',
  ]);
  cpSync(join(ca, 's.crt'), join(dir, 'certs', 'shop.crt'));
  cpSync(join(ca, 's.key'), join(dir, 'certs', 'shop.key'));
}
