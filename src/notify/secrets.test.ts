import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackReceiver, type SlackReceiver } from '../../scripts/slack-receiver.mjs';
import { execute } from '../core/run.js';
import { inputsFrom } from '../core/inputs.js';
import { LocalPlatform } from '../platform/local.js';
import { notify, step } from './step.js';
import { GITLAB_ENV, RawPlatform, readInputs, TOKEN } from './testkit.js';

let slack: SlackReceiver;
beforeAll(async () => {
  slack = await startSlackReceiver({ token: TOKEN });
});
afterAll(async () => slack.close());

const WRONG = 'xoxb-999-An0therS3cretTok3n';
const HOOK_SECRET = 'T0SECRET/B0SECRET/zZ9yY8xX7wW6vV5uU4';

/** Every way a call can fail, each with debug output on. */
const failing = () => [
  { name: 'invalid token', values: { token: WRONG, channel: '#deploys', 'slack-api-url': slack.apiUrl } },
  { name: 'revoked webhook', values: { 'webhook-url': `${slack.url}/services/${HOOK_SECRET}` } },
  // A closed port (in this branch's range): the transport error must not echo the URL fetch was given.
  {
    name: 'unreachable webhook',
    values: { 'webhook-url': `http://127.0.0.1:15349/services/${HOOK_SECRET}`, retries: 1 },
  },
  {
    name: 'unreachable API',
    values: { token: TOKEN, channel: '#deploys', 'slack-api-url': 'http://127.0.0.1:15349/api', retries: 1 },
  },
];
const secrets = [TOKEN, WRONG, HOOK_SECRET, 'zZ9yY8xX7wW6vV5uU4'];

/** Runs the step as the CLI does, with debug on: its exit code and all it wrote to stdout and stderr. */
async function runInDebug(values: Parameters<typeof inputsFrom>[0]) {
  let all = '';
  const platform = new LocalPlatform(
    { SHIPKIT_DEBUG: '1' },
    (t) => (all += t),
    (t) => (all += t),
    false,
  );
  const code = await execute(step, inputsFrom(values), platform);
  return { code, all };
}

describe('secrets are never printed', () => {
  for (const name of ['invalid token', 'revoked webhook', 'unreachable webhook', 'unreachable API']) {
    it(`${name}: not handed to any log line, even in debug, nor to the error`, async () => {
      const platform = new RawPlatform(true);
      const values = { event: 'failed', details: 'x', ...failing().find((f) => f.name === name)!.values };
      await notify(readInputs(values), platform, GITLAB_ENV);
      expect(platform.outputs.get('ok')).toBe('false');
      expect(platform.lines.some((l) => l.level === 'debug')).toBe(true);
      for (const s of secrets) expect(platform.text()).not.toContain(s);
    });
  }

  it('whole CLI run with fail-on-error and debug: stdout and stderr hold no secret', async () => {
    for (const c of failing()) {
      const values = { event: 'failed', 'fail-on-error': 'true', ...c.values };
      const { code, all } = await runInDebug(values);
      expect(code, c.name).toBe(1);
      expect(all).toMatch(/error: Slack notification failed/);
      for (const s of secrets) expect(all, c.name).not.toContain(s);
    }
  });

  it('a malformed token or webhook URL is rejected without echoing it', async () => {
    for (const values of [
      { token: 'not-a-token-s3cr3tValue', channel: '#d' },
      { 'webhook-url': 'hooks.slack.com/s3cr3tValue' },
    ]) {
      const { code, all } = await runInDebug({ event: 'started', ...values });
      expect(code).toBe(2);
      expect(all).toMatch(/error: input "(token|webhook-url)": expected/);
      expect(all).not.toContain('s3cr3tValue');
    }
  });
});
