#!/usr/bin/env node
// `npm test`: the unit suite, then the integration suite (host engine) and the Swarm suite (its own rig of
// dockerd-in-containers on its own bridge) side by side. The two share nothing but the CPU: the integration
// tests never touch the rig, the Swarm tests never touch the host's compose projects or 127.0.0.1 ports.
// The Swarm suite's output is kept and printed whole when it ends, so the two logs do not interleave.
// SHIPKIT_SUITES=serial runs the three one after another (a slow machine, or to read a failure alone).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const vitest = (config, out) =>
  new Promise((resolve) => {
    const started = Date.now();
    const stdio = out ? ['ignore', out, out] : 'inherit';
    const child = spawn('npx', ['vitest', 'run', '--config', config], { stdio });
    child.on('close', (code, signal) =>
      resolve({ ok: code === 0, code: code ?? signal, s: (Date.now() - started) / 1000 }),
    );
  });
const say = (line) => console.log(`\n[test] ${line}`);

const unit = await vitest('vitest.config.ts');
if (!unit.ok) process.exit(1);

if (process.env.SHIPKIT_SUITES === 'serial') {
  const itg = await vitest('vitest.itg.config.ts');
  const swarm = itg.ok ? await vitest('vitest.swarm.config.ts') : itg;
  process.exit(itg.ok && swarm.ok ? 0 : 1);
}

const dir = mkdtempSync(join(tmpdir(), 'shipkit-suites-'));
const log = join(dir, 'swarm.log');
const fd = openSync(log, 'w');
try {
  say('integration and Swarm suites side by side; the Swarm log follows when both are done');
  const [itg, swarm] = await Promise.all([
    vitest('vitest.itg.config.ts'),
    vitest('vitest.swarm.config.ts', fd),
  ]);
  closeSync(fd);
  say(`Swarm suite (vitest.swarm.config.ts), ${swarm.s.toFixed(0)} s:`);
  process.stdout.write(readFileSync(log, 'utf8'));
  say(
    `integration ${itg.ok ? 'passed' : `failed (${itg.code})`} in ${itg.s.toFixed(0)} s; ` +
      `Swarm ${swarm.ok ? 'passed' : `failed (${swarm.code})`} in ${swarm.s.toFixed(0)} s`,
  );
  process.exitCode = itg.ok && swarm.ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
