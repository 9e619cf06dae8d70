#!/usr/bin/env node
// Why shipkit gives each generation of a colour its own socket: a real nginx (the host's) is
// reloaded again and again; after each reload we ask (a) the listening socket that every
// generation shares until a worker gives up on an old generation as soon as 8 new-generation
// answers came in a row (what shipkit did before), and (b) a socket only the new generation
// listens on, as soon as it answers once. Any later answer from an older generation counts.
//   node scripts/bench/nginx-generations.mjs [--reloads 50] [--asks 200]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ask = (socketPath) =>
  new Promise((resolve) => {
    const r = request({ socketPath, path: '/', agent: false }, (res) => {
      let b = '';
      res.on('data', (d) => (b += d));
      res.on('end', () => resolve(b.trim()));
    });
    r.on('error', () => resolve('error'));
    r.end();
  });

/**
 * Reloads a real nginx `reloads` times and counts answers from an older generation after the
 * readiness check of each approach. Returns both counts; leaves nothing behind.
 */
export async function measureGenerations({ reloads = 50, asks = 200, busy = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sk-gen-'));
  const conf = join(dir, 'nginx.conf');
  const sock = (name) => join(dir, `${name}.sock`);
  const write = (g) =>
    writeFileSync(
      conf,
      `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log; daemon on;\n` +
        'events { worker_connections 1024; }\n' +
        `http { access_log off; server { listen unix:${sock('shared')}; listen unix:${sock(`gen-${g}`)}; ` +
        `${g > 0 ? `listen unix:${sock(`gen-${g - 1}`)}; ` : ''}location / { return 200 "gen=${g}"; } } }\n`,
    );
  const kids = busy
    ? cpus().map(() =>
        spawn('node', ['-e', 'const e = Date.now() + 300000; while (Date.now() < e);'], { stdio: 'ignore' }),
      )
    : [];
  const stale = { shared: 0, sharedReloads: 0, own: 0, ownReloads: 0 };
  write(0);
  execFileSync('nginx', ['-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  try {
    // A reload signal needs the master's pid file: wait until the first generation answers.
    for (let i = 0; i < 500 && (await ask(sock('gen-0'))) !== 'gen=0'; i++)
      await new Promise((r) => setTimeout(r, 10));
    for (let g = 1; g <= reloads; g++) {
      write(g);
      execFileSync('nginx', ['-c', conf, '-e', join(dir, 'error.log'), '-s', 'reload'], { stdio: 'ignore' });
      const want = `gen=${g}`;
      // (a) the old check: 8 new-generation answers in a row on the shared socket.
      for (let inRow = 0, i = 0; inRow < 8 && i < 5000; i++)
        inRow = (await ask(sock('shared'))) === want ? inRow + 1 : 0;
      // (b) the new check: one answer on the generation's own socket.
      for (let i = 0; i < 5000 && (await ask(sock(`gen-${g}`))) !== want; i++)
        await new Promise((r) => setTimeout(r, 2));
      let shared = 0;
      let own = 0;
      for (let i = 0; i < asks; i++) {
        const [a, b] = await Promise.all([ask(sock('shared')), ask(sock(`gen-${g}`))]);
        if (a !== want) shared++;
        if (b !== want) {
          own++;
          if (own === 1) console.error(`reload ${g}: the generation's own socket answered "${b}"`);
        }
      }
      stale.shared += shared;
      stale.own += own;
      if (shared) stale.sharedReloads++;
      if (own) stale.ownReloads++;
    }
  } finally {
    kids.forEach((k) => k.kill());
    execFileSync('nginx', ['-c', conf, '-e', join(dir, 'error.log'), '-s', 'quit'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  }
  return { reloads, asks, ...stale };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (n, d) =>
    process.argv.includes(`--${n}`) ? process.argv[process.argv.indexOf(`--${n}`) + 1] : d;
  for (const busy of [false, true]) {
    const r = await measureGenerations({
      reloads: Number(arg('reloads', '50')),
      asks: Number(arg('asks', '200')),
      busy,
    });
    console.log(
      `${busy ? 'every core busy' : 'quiet'}: ${r.reloads} reloads, ${r.asks} asks after each: ` +
        `shared socket after 8 new answers in a row: old-generation answers in ${r.sharedReloads} reloads (${r.shared} answers); ` +
        `the generation's own socket after 1 answer: ${r.ownReloads} reloads (${r.own} answers)`,
    );
  }
}
