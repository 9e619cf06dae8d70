#!/usr/bin/env node
// The main job: the whole shipkit flow on examples/lb-stack, locally, with embedded defaults —
// the local registry, the local Docker engine and a local Slack-compatible receiver that prints
// what it got. lint → build & push → stack up → smoke (with failover) → stack down → deploy blue →
// deploy green → promote under load → rollback under load → teardown. Prints each phase as it
// runs, ends with a summary table, and leaves nothing running, also when a phase fails.
//
//   node scripts/demo.mjs [--lb nginx|haproxy] [--keep]      (scripts/demo.sh prepares the host first)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSlackReceiver } from './slack-receiver.mjs';

const root = new URL('..', import.meta.url).pathname;
const cliPath = join(root, 'dist', 'cli', 'index.js');
const example = join(root, 'examples', 'lb-stack');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
// HAProxy switches over its runtime API without a reload; nginx's reload closes idle keep-alive
// connections, which a client racing it sees as a reset (see BENCHMARKS.md). Both are supported.
const lb = arg('lb', 'haproxy');
const work = mkdtempSync(join(tmpdir(), 'shipkit-demo-'));
const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Facts written by scripts/setup-host.sh: base image, registry and its credentials. */
function hostFacts() {
  const file = process.env.SHIPKIT_STATE_DIR
    ? `${process.env.SHIPKIT_STATE_DIR}/env`
    : '/var/lib/shipkit-dev/env';
  if (!existsSync(file))
    throw new Error(`${file} is missing: run scripts/setup-host.sh first (scripts/demo.sh does)`);
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

const facts = hostFacts();
const registry = facts.SHIPKIT_REGISTRY;
const ports = { stack: 18080, live: 18180, preview: 18181, slack: 18090 };
const names = { stack: 'shipkit-demo-stack', app: 'shipkit-demo' };
const appRepo = `${registry}/shipkit-demo/app`;
const env = {
  ...process.env,
  NO_COLOR: '1',
  NODE_IMAGE: facts.SHIPKIT_BASE_IMAGE,
  NGINX_IMAGE: facts.SHIPKIT_BASE_IMAGE,
  HAPROXY_IMAGE: facts.SHIPKIT_BASE_IMAGE,
  APP_IMAGE: `${appRepo}:1.0.0`,
  LB_IMAGE: `${registry}/shipkit-demo/lb-${lb}:1.0.0`,
  LB_PORT: String(ports.stack),
  SHIPKIT_RUN_ID: `demo${Date.now().toString(36)}`,
};

/** Parses the `SHIPKIT_OUTPUT` file (name=value lines and name<<DELIM blocks). */
function readOutputs(file) {
  const out = {};
  if (!existsSync(file)) return out;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('='))
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
  }
  return out;
}

let seq = 0;
/** Runs `shipkit <args>`, indenting its output under the phase; resolves with its outputs. */
function shipkit(args, { allowFail = false, extraEnv = {} } = {}) {
  const outputFile = join(work, `outputs-${++seq}.env`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: root,
      env: { ...env, ...extraEnv, SHIPKIT_OUTPUT: outputFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const show = (chunk) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) process.stdout.write(`    ${line}\n`);
    };
    child.stdout.on('data', show);
    child.stderr.on('data', show);
    child.on('close', (code) => {
      const outputs = readOutputs(outputFile);
      if (code === 0 || allowFail) resolve({ code, outputs });
      else
        reject(
          new Error(
            `shipkit ${args[0]} ${args[1] && !args[1].startsWith('-') ? args[1] + ' ' : ''}exited ${code}`,
          ),
        );
    });
  });
}

/** Starts the independent load generator against a URL; `stop()` resolves with its summary. */
function loadgen(url, out) {
  const child = spawn(
    process.execPath,
    [
      join(root, 'scripts', 'bench', 'loadgen.mjs'),
      '--url',
      url,
      '--rate',
      '200',
      '--duration',
      '600',
      '--out',
      out,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.on('close', resolve));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      const records = readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const failed = records.filter((r) => r.err || r.st >= 500 || !r.st);
      return { requests: records.length, failures: failed.length };
    },
  };
}

const results = [];
/** One phase: prints its title, times it, records the result and key figures for the summary. */
async function phase(title, fn) {
  process.stdout.write(`\n${paint('1', `▶ ${title}`)}\n`);
  const started = Date.now();
  try {
    const result = await fn();
    const figures = typeof result === 'string' ? result : '';
    results.push({ title, ok: true, ms: Date.now() - started, figures });
    process.stdout.write(
      `  ${paint('32', '✓')} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)${figures ? ` — ${figures}` : ''}\n`,
    );
  } catch (err) {
    results.push({ title, ok: false, ms: Date.now() - started, figures: err.message });
    process.stdout.write(`  ${paint('31', '✗')} ${title}: ${err.message}\n`);
    throw err;
  }
}

function summary() {
  const rows = results.map((r) => [
    r.ok ? 'ok' : 'FAILED',
    r.title,
    `${(r.ms / 1000).toFixed(1)} s`,
    r.figures,
  ]);
  const head = ['result', 'step', 'duration', 'key figures'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(width[i])).join(' | ') + ' |';
  process.stdout.write(
    `\n${line(head)}\n${line(width.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`,
  );
}

const bluegreen = (command, extra = []) =>
  shipkit([
    'bluegreen',
    command,
    '--name',
    names.app,
    '--lb',
    lb,
    '--lb-image',
    facts.SHIPKIT_BASE_IMAGE,
    '--port',
    String(ports.live),
    '--preview-port',
    String(ports.preview),
    '--bind-address',
    '127.0.0.1',
    '--state-dir',
    join(work, 'bluegreen-state'),
    '--scale-down-delay',
    '10m',
    ...extra,
  ]);

async function main() {
  const slack = await startSlackReceiver({
    port: ports.slack,
    print: (line) => process.stdout.write(`    ${paint('35', '[slack]')} ${line}\n`),
  });
  const slackArgs = [
    '--token',
    'xoxb-demo-local-token',
    '--slack-api-url',
    `http://127.0.0.1:${ports.slack}/api`,
  ];
  let message = {};
  const notify = async (event, extra = []) => {
    const ids = message.ts
      ? ['--channel-id', message.channel_id, '--ts', message.ts]
      : ['--channel', 'C0DEPLOYS01'];
    const r = await shipkit(
      ['notify', ...slackArgs, ...ids, '--event', event, '--environment', 'demo', ...extra],
      { allowFail: true },
    );
    if (r.outputs.ts) message = r.outputs;
  };
  let images = '';
  let failed = false;
  try {
    await phase('notify: pipeline started', () => notify('started'));
    await phase('lint the example Dockerfiles', async () => {
      const r = await shipkit(['lint', 'examples/lb-stack']);
      return `${r.outputs.total ?? 0} findings`;
    });
    await phase('build & push the example images', async () => {
      const r = await shipkit([
        'build-push',
        '--compose-file',
        'examples/lb-stack/compose.yml',
        '--registry',
        registry,
        '--username',
        facts.SHIPKIT_REGISTRY_USER,
        '--password',
        facts.SHIPKIT_REGISTRY_PASSWORD,
        '--max-size',
        '400MB',
      ]);
      images = r.outputs.images ?? '';
      const parsed = JSON.parse(images || '{}');
      return Object.entries(parsed)
        .map(([k, v]) => `${k} ${(v.size / 1e6).toFixed(0)} MB`)
        .join(', ');
    });
    await notify('built');
    await phase('stack up (3 replicas) and wait until healthy', async () => {
      await shipkit([
        'stack',
        'up',
        '--working-directory',
        'examples/lb-stack',
        '--compose-file',
        'compose.yml',
        '--images',
        images,
        '--scale',
        'app=3',
        '--project',
        names.stack,
        '--ready-url',
        `http://127.0.0.1:${ports.stack}/healthz`,
      ]);
    });
    await phase('smoke test the load balancer, with failover', async () => {
      const r = await shipkit([
        'smoke',
        '--url',
        `http://127.0.0.1:${ports.stack}/`,
        '--requests',
        '300',
        '--min-backends',
        '3',
        '--expect-backends-from-stack',
        'true',
        '--project-name',
        names.stack,
        '--proxy-headers',
        'X-NAME',
        '--forward-headers',
        'X-Request-Id=demo',
        '--failover',
        'true',
        '--compose-files',
        'compose.yml',
        '--project-directory',
        'examples/lb-stack',
        '--report-dir',
        join(work, 'smoke'),
      ]);
      return `${r.outputs.requests} requests, ${r.outputs.failures} failed, p95 ${r.outputs['p95-ms']} ms, failover detected in ${r.outputs['failover-detect-ms']} ms`;
    });
    await notify('smoke-passed');
    await phase('stack down', () =>
      shipkit([
        'stack',
        'down',
        '--working-directory',
        'examples/lb-stack',
        '--compose-file',
        'compose.yml',
        '--project',
        names.stack,
      ]),
    );
    await phase('deploy 1.0.0 to blue and promote it (first release)', async () => {
      const r = await bluegreen('deploy', [
        '--image',
        env.APP_IMAGE,
        '--version',
        '1.0.0',
        '--env',
        'APP_VERSION=1.0.0',
        '--auto-promote',
      ]);
      return `live: ${r.outputs['live-colour']}`;
    });
    const app2 = `${appRepo}:2.0.0`;
    await phase('build & push app 2.0.0 (a new release)', async () => {
      const r = await shipkit(
        [
          'build-push',
          '--compose-file',
          'examples/lb-stack/compose.yml',
          '--services',
          'app',
          '--registry',
          registry,
          '--username',
          facts.SHIPKIT_REGISTRY_USER,
          '--password',
          facts.SHIPKIT_REGISTRY_PASSWORD,
        ],
        { extraEnv: { APP_IMAGE: app2 } },
      );
      const pushed = JSON.parse(r.outputs.images ?? '{}').app?.image ?? app2;
      return pushed.replace(/@(sha256:.{12}).*/, '@$1…');
    });
    await phase('deploy 2.0.0 to the idle colour (nothing switches)', async () => {
      const r = await bluegreen('deploy', [
        '--image',
        app2,
        '--version',
        '2.0.0',
        '--env',
        'APP_VERSION=2.0.0',
      ]);
      return `preview: ${r.outputs['preview-url']}`;
    });
    await notify('awaiting-promotion', ['--version-before', '1.0.0', '--version-after', '2.0.0']);
    const live = `http://127.0.0.1:${ports.live}/`;
    // A blue-green command under steady load: 3 s before and after it; any failed request fails the phase.
    const underLoad = async (command, file, during) => {
      const load = loadgen(live, join(work, file));
      await new Promise((r) => setTimeout(r, 3000));
      const r = await bluegreen(command);
      await new Promise((r) => setTimeout(r, 3000));
      const l = await load.stop();
      if (l.failures) throw new Error(`${l.failures} of ${l.requests} requests failed during the ${during}`);
      return `switch ${r.outputs['switch-ms']} ms, ${l.failures}/${l.requests} requests failed`;
    };
    await phase('promote 2.0.0 under load (200 req/s, half keep-alive)', () =>
      underLoad('promote', 'promote.ndjson', 'switch'),
    );
    await notify('promoted', ['--version-before', '1.0.0', '--version-after', '2.0.0']);
    await phase('roll back to 1.0.0 under load', () => underLoad('rollback', 'rollback.ndjson', 'rollback'));
    await notify('rolled-back', ['--version-before', '2.0.0', '--version-after', '1.0.0']);
  } catch {
    failed = true;
    await notify('failed');
  } finally {
    await phase('teardown (stack, both colours, load balancer)', async () => {
      await shipkit(
        [
          'stack',
          'down',
          '--working-directory',
          'examples/lb-stack',
          '--compose-file',
          'compose.yml',
          '--project',
          names.stack,
        ],
        { allowFail: true },
      );
      await bluegreen('destroy').catch(() => undefined);
      return 'nothing left running';
    }).catch(() => (failed = true));
    await slack.close();
    summary();
    if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
