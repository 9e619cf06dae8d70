import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSlackReceiver, type SlackReceiver } from '../../scripts/slack-receiver.mjs';
import { exec } from '../core/exec.js';
import { GITHUB_ENV, messageOutputs, TOKEN } from './testkit.js';

const root = join(import.meta.dirname, '..', '..');
const bundle = join(root, 'dist', 'notify', 'index.js');

/** Reads a GITHUB_OUTPUT file (`name<<delimiter` blocks, as @actions/core writes them). */
function outputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const end = lines.indexOf(m[2], i + 1);
    out[m[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

describe.skipIf(!existsSync(bundle) && 'dist/notify/index.js is not built (npm run build)')(
  'the bundled action, run as GitHub runs it',
  () => {
    let slack: SlackReceiver;
    let dir: string;
    beforeAll(async () => {
      slack = await startSlackReceiver({ token: TOKEN });
      dir = mkdtempSync(join(tmpdir(), 'sknotify-itg-'));
      writeFileSync(
        join(dir, 'event.json'),
        JSON.stringify({ head_commit: { message: 'Ship faster checkout\n\nbody' } }),
      );
    });
    afterAll(async () => {
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** One `node dist/notify/index.js` with INPUT_* variables and fresh GITHUB_* files. */
    async function action(name: string, inputs: Record<string, string>) {
      const files = Object.fromEntries(
        ['OUTPUT', 'STATE', 'STEP_SUMMARY', 'ENV'].map((k) => [
          `GITHUB_${k}`,
          join(dir, `${name}.${k.toLowerCase()}`),
        ]),
      );
      for (const f of Object.values(files)) writeFileSync(f, '');
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        ...(GITHUB_ENV as Record<string, string>),
        ...files,
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        RUNNER_DEBUG: '1',
        'INPUT_SLACK-API-URL': slack.apiUrl,
        'INPUT_FAIL-ON-ERROR': 'false',
        INPUT_RETRIES: '5',
        INPUT_TIMEOUT: '10s',
      };
      for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
      const result = await exec('node', [bundle], { env, replaceEnv: true, check: false, timeoutMs: 30_000 });
      return { ...result, outputs: outputs(files.GITHUB_OUTPUT), all: result.stdout + result.stderr };
    }

    it('contract test: posts, then a second run updates the same message from the first run’s outputs', async () => {
      const first = await action('first', {
        token: TOKEN,
        channel: '#deploys',
        event: 'started',
        environment: 'staging',
      });
      expect(first.code, first.all).toBe(0);
      expect(first.outputs).toMatchObject({ ok: 'true', channel_id: 'C0DEPLOYS01' });
      expect(first.outputs.ts).toMatch(/^\d+\.\d+$/);
      const second = await action('second', {
        token: TOKEN,
        'channel-id': first.outputs.channel_id,
        ts: first.outputs.ts,
        event: 'promoted',
        environment: 'staging',
        details: 'switched blue → green',
      });
      expect(second.code, second.all).toBe(0);
      expect(second.outputs).toEqual(messageOutputs(first.outputs.ts));
      const msg = slack.messages.get(`C0DEPLOYS01/${first.outputs.ts}`)!;
      expect(msg.history).toHaveLength(1);
      expect(JSON.stringify(msg.current)).toContain(':large_green_circle: acme/shop · staging — Promoted');
      expect(JSON.stringify(msg.current)).toContain('Ship faster checkout');
      expect(msg.replies).toHaveLength(1);
    });

    it('a refused notification warns and exits 0; with fail-on-error it fails; the token is only ever in ::add-mask::', async () => {
      const wrong = 'xoxb-999-Itg0nlyS3cretTok3n';
      const soft = await action('soft', { token: wrong, channel: '#deploys', event: 'failed' });
      expect(soft.code).toBe(0);
      expect(soft.outputs.ok).toBe('false');
      expect(soft.stdout).toMatch(/^::warning::Slack notification failed: chat.postMessage: invalid_auth/m);
      expect(soft.stdout).toMatch(/^::debug::chat.postMessage \{/m);
      const hard = await action('hard', {
        token: wrong,
        channel: '#deploys',
        event: 'failed',
        'fail-on-error': 'true',
      });
      expect(hard.code).toBe(1);
      expect(hard.stdout).toMatch(/^::error::Slack notification failed: chat.postMessage: invalid_auth/m);
      for (const run of [soft, hard]) {
        const leaks = run.all.split('\n').filter((l) => l.includes(wrong) && l !== `::add-mask::${wrong}`);
        expect(leaks).toEqual([]);
      }
    });
  },
);
