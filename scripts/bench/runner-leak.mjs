#!/usr/bin/env node
// Leak figure of the runner step (issue 4): 20 up/down cycles of the stand-in runner through the
// built CLI against the local GitHub contract server, 5 of them killed with SIGKILL mid-`up`, then
// one `shipkit runner gc`. Prints the containers and API runners left before gc (what a tool without
// a TTL sweep, like ec2-github-runner, leaves when the stop job never runs) and after gc (must be 0).
// Usage: npm run build && node scripts/bench/runner-leak.mjs [github|gitlab]   (about a minute each)
import { importFromSource } from './from-source.mjs';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const cacheDir = join(root, 'node_modules', '.cache', 'shipkit-bench');
mkdirSync(cacheDir, { recursive: true });
const helper = join(cacheDir, 'runner-contract.mjs');
const { startGitHubContract, startGitLabContract, buildStandin, STANDIN_IMAGE } = await importFromSource(
  "export { startGitHubContract } from './test/runner/github-contract.ts';\n" +
    "export { startGitLabContract } from './test/runner/gitlab-contract.ts';\n" +
    "export { buildStandin, STANDIN_IMAGE } from './test/runner/standin.ts';",
  helper,
  {
    external: ['@octokit/openapi'],
    define: { 'import.meta.dirname': JSON.stringify(join(root, 'test', 'runner')) },
    logLevel: 'error',
  },
);
const PROVIDER = process.argv[2] ?? 'github';
if (!['github', 'gitlab'].includes(PROVIDER)) throw new Error('usage: runner-leak.mjs [github|gitlab]');

const PREFIX = 'skrunleak';
const CYCLES = 20;
const KILLED = new Set([1, 5, 9, 13, 17]);
const TTL = '3s';
const TOKEN = 'ghp_benchToken0123456789abcdefABCDEF';
const cli = join(root, 'dist', 'cli', 'index.js');

const docker = (args) => execFileSync('docker', args, { encoding: 'utf8' });
const ourContainers = () =>
  docker(['ps', '-aq', '--filter', 'label=dev.shipkit.kind=runner', '--filter', `name=^${PREFIX}-`])
    .split('\n')
    .filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

buildStandin(process.env.SHIPKIT_BASE_IMAGE ?? 'shipkit/base:bookworm');
const gh = PROVIDER === 'github' ? await startGitHubContract() : await startGitLabContract();
const ourRunners = () =>
  [...gh.runners.values()].filter((r) => (r.name ?? r.description).startsWith(`${PREFIX}-`));
const common =
  PROVIDER === 'github'
    ? [
        '--provider',
        'github',
        '--github-api-url',
        gh.url,
        '--repository',
        'acme/shop',
        '--name-prefix',
        PREFIX,
      ]
    : ['--provider', 'gitlab', '--gitlab-url', gh.url, '--project-id', '42', '--name-prefix', PREFIX];
const env = { ...process.env, GITHUB_TOKEN: TOKEN, GITLAB_TOKEN: TOKEN, GITHUB_ACTIONS: '', GITLAB_CI: '' };

/** Runs the CLI; `killWhen` (optional) is polled and the child is SIGKILLed once it returns true. */
function run(args, killWhen, signal = 'SIGKILL') {
  const outFile = join(cacheDir, `out-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'runner', ...args, ...common], {
      env: { ...env, SHIPKIT_OUTPUT: outFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    let killed = false;
    const timer = killWhen
      ? setInterval(() => {
          if (!killed && killWhen()) {
            killed = true;
            child.kill(signal);
          }
        }, 5)
      : undefined;
    child.on('close', (code) => {
      clearInterval(timer);
      let outputs = {};
      try {
        outputs = Object.fromEntries(
          readFileSync(outFile, 'utf8')
            .split('\n')
            .filter((l) => l.includes('='))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
        rmSync(outFile);
      } catch {
        /* a killed run wrote no outputs */
      }
      resolve({ code, killed, text, outputs });
    });
  });
}

const times = [];
let leakedSecrets = 0;
const t0 = Date.now();
for (let i = 0; i < CYCLES; i++) {
  if (KILLED.has(i)) {
    // Kill once the API runner exists, after a varying delay: sometimes before `docker run`, sometimes during or after it.
    const seenBefore = gh.seen.length;
    const delay = [0, 60, 150, 300, 450][[...KILLED].indexOf(i)];
    let armedAt = 0;
    const r = await run(['up', '--runner-image', STANDIN_IMAGE, '--ttl', TTL], () => {
      if (!armedAt && gh.seen.length > seenBefore) armedAt = Date.now();
      return armedAt > 0 && Date.now() - armedAt >= delay;
    });
    if (r.text.includes(TOKEN)) leakedSecrets++;
    console.log(
      `cycle ${String(i + 1).padStart(2)}: up killed (SIGKILL ${delay} ms after the API call; exit ${r.code ?? 'signal'})`,
    );
    continue;
  }
  const start = Date.now();
  const up = await run(['up', '--runner-image', STANDIN_IMAGE, '--ttl', TTL]);
  if (up.code !== 0) throw new Error(`up failed:\n${up.text}`);
  const down = await run(['down', '--label', up.outputs.label]);
  if (down.code !== 0) throw new Error(`down failed:\n${down.text}`);
  times.push(Date.now() - start);
  if ((up.text + down.text).includes(TOKEN)) leakedSecrets++;
  console.log(`cycle ${String(i + 1).padStart(2)}: up+down ${Date.now() - start} ms`);
}
const cyclesMs = Date.now() - t0;

const before = { containers: ourContainers().length, runners: ourRunners().length };
await sleep(3200); // let the killed runs' TTL (3 s) run out
const gcStart = Date.now();
const gc = await run(['gc', '--ttl', TTL]);
const gcMs = Date.now() - gcStart;
if (gc.code !== 0) throw new Error(`gc failed:\n${gc.text}`);
const after = { containers: ourContainers().length, runners: ourRunners().length };

// SIGTERM (a cancelled job, Ctrl-C) can be caught: `up` undoes itself, so nothing is left even without gc.
const termDelays = [0, 60, 150, 300, 450];
for (const delay of termDelays) {
  const seenBefore = gh.seen.length;
  let armedAt = 0;
  const r = await run(
    ['up', '--runner-image', STANDIN_IMAGE, '--ttl', '1h'],
    () => {
      if (!armedAt && gh.seen.length > seenBefore) armedAt = Date.now();
      return armedAt > 0 && Date.now() - armedAt >= delay;
    },
    'SIGTERM',
  );
  if (r.text.includes(TOKEN)) leakedSecrets++;
  console.log(`extra: up stopped with SIGTERM ${delay} ms after the API call (exit ${r.code ?? 'signal'})`);
}
const afterTerm = { containers: ourContainers().length, runners: ourRunners().length };

const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
const lines = [
  `runner leak test (${PROVIDER}): ${CYCLES} cycles (${CYCLES - KILLED.size} up+down, ${KILLED.size} up killed with SIGKILL), ${cyclesMs} ms`,
  `up+down cycle through the CLI: median ${median} ms`,
  `left without gc (no TTL sweep, as ec2-github-runner when stop never runs): ${before.containers} containers, ${before.runners} API runners`,
  `shipkit runner gc: removed ${gc.outputs['removed-containers']} containers, ${gc.outputs['removed-runners']} API runners in ${gcMs} ms`,
  `left after gc: ${after.containers} containers, ${after.runners} API runners`,
  `${termDelays.length} more ups stopped with SIGTERM mid-up, no gc: ${afterTerm.containers} containers, ${afterTerm.runners} API runners left`,
  `contract violations: ${gh.violations.length + (gh.responseViolations?.length ?? 0)}; token in output: ${leakedSecrets} runs`,
];
console.log(lines.join('\n'));
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, lines.join('\n') + '\n');

// Never leave anything behind, whatever the figures say.
const rest = ourContainers();
if (rest.length) docker(['rm', '-f', ...rest]);
await gh.close();
process.exitCode =
  after.containers +
    after.runners +
    afterTerm.containers +
    afterTerm.runners +
    gh.violations.length +
    leakedSecrets ===
  0
    ? 0
    : 1;
