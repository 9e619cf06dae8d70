#!/usr/bin/env node
// Benchmark for issue 7: a burst of N notifications (1 post, then alternating chat.update of that
// message and thread replies, all to one channel) through the notify step's own code, against the
// local Slack receiver rate-limited to R messages per second per channel (429 + Retry-After beyond).
// Checks every notification was delivered, in order, exactly once; prints total time vs the ideal.
//
//   node scripts/bench/notify.mjs [--count 100] [--rate 1]
//
// The ideal is the rate limit itself: the first message at t=0 and one every 1/R s after it, so
// (N-1)/R seconds (N/R = 100 s is quoted in the issue; both are printed). The step code is bundled
// from src/ with esbuild (a dev dependency), so the figure measures the client, not Node start-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSlackReceiver } from '../slack-receiver.mjs';
import { importFromSource } from './from-source.mjs';

const root = new URL('../..', import.meta.url).pathname;
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('--count', 100);
const rate = arg('--rate', 1);
const token = 'xoxb-bench-0000-token';

const dir = mkdtempSync(join(tmpdir(), 'sknotify-bench-'));
const lib = join(dir, 'notify-lib.mjs');
const { notify, getInputs, InputReader, inputsFrom, MemoryPlatform } = await importFromSource(
  [
    "export { notify } from './src/notify/step.ts';",
    "export { getInputs } from './src/notify/inputs.ts';",
    "export { InputReader, inputsFrom } from './src/core/inputs.ts';",
    "export { MemoryPlatform } from './src/platform/memory.ts';",
  ].join('\n'),
  lib,
);

const slack = await startSlackReceiver({ token, rate });
const env = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: 'a1b2c3d4e5f6',
  GITHUB_RUN_ID: '1',
};
const events = ['built', 'smoke-passed', 'awaiting-promotion', 'promoted'];
const base = { token, 'slack-api-url': slack.apiUrl, retries: 5 };

let ts;
let warnings = 0;
console.log(`notify bench: ${count} notifications to one channel, receiver limit ${rate}/s per channel`);
const started = performance.now();
for (let i = 1; i <= count; i++) {
  const tag = `notification #${i}`;
  let values;
  if (i === 1) values = { ...base, channel: '#deploys', event: 'started', message: tag };
  else if (i % 2 === 0)
    values = { ...base, 'channel-id': 'C0DEPLOYS01', ts, event: events[(i / 2) % 4], message: tag };
  else values = { ...base, 'channel-id': 'C0DEPLOYS01', 'thread-ts': ts, details: tag };
  const platform = new MemoryPlatform(false);
  await notify(getInputs(new InputReader(inputsFrom(values))), platform, env);
  if (i === 1) ts = platform.outputs.get('ts');
  if (platform.outputs.get('ok') !== 'true') warnings++;
}
const seconds = (performance.now() - started) / 1000;
await slack.close();
rmSync(dir, { recursive: true, force: true });

const delivered = slack.log.map((e) => Number(/notification #(\d+)\b/.exec(JSON.stringify(e.body))?.[1]));
const inOrder = delivered.every((n, i) => n === i + 1);
const limited = slack.requests.filter((r) => r.status === 429).length;
const ideal = (count - 1) / rate;
console.log(
  `delivered ${delivered.length}/${count}, in order: ${inOrder}, duplicates: ${delivered.length - new Set(delivered).size}, failed: ${warnings}`,
);
console.log(`requests ${slack.requests.length} (429 answers: ${limited})`);
console.log(
  `total ${seconds.toFixed(2)} s; ideal ${ideal.toFixed(2)} s ((N-1)/rate; N/rate = ${(count / rate).toFixed(0)} s)`,
);
console.log(`ratio total/ideal: ${(seconds / ideal).toFixed(3)}`);
if (delivered.length !== count || !inOrder || warnings) process.exitCode = 1;
