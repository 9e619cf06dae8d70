import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSlackReceiver, type SlackReceiver } from '../../scripts/slack-receiver.mjs';
import { StepFailure } from '../core/errors.js';
import { GitLabPlatform } from '../platform/gitlab.js';
import { MemoryPlatform } from '../platform/memory.js';
import { notify } from './step.js';
import { GITLAB_ENV, messageOutputs, readInputs, TOKEN } from './testkit.js';
import { tempDir } from '../../test/helpers/tmp.js';

let slack: SlackReceiver;
beforeAll(async () => {
  slack = await startSlackReceiver({ token: TOKEN });
});
afterAll(async () => slack.close());
beforeEach(() => {
  slack.requests.length = 0;
  slack.log.length = 0;
});

type Values = Record<string, string | number | boolean | undefined>;

async function send(values: Values, platform = new MemoryPlatform()) {
  const inputs = readInputs({ token: TOKEN, 'slack-api-url': slack.apiUrl, channel: '#deploys', ...values });
  await notify(inputs, platform, GITLAB_ENV);
  return { platform, out: Object.fromEntries(platform.outputs) };
}

/** Runs the step with an incoming webhook instead of a token; gives back the platform it logged to. */
async function sendWebhook(values: Values): Promise<MemoryPlatform> {
  const platform = new MemoryPlatform();
  await notify(readInputs({ 'webhook-url': slack.webhookUrl, ...values }), platform, GITLAB_ENV);
  return platform;
}

describe('notify with a bot token', () => {
  it('contract test: posts one message, updates it in place through each stage, details as thread replies', async () => {
    const first = await send({ event: 'started', environment: 'production', details: 'pipeline started' });
    expect(first.out).toMatchObject({ ok: 'true', channel_id: 'C0DEPLOYS01' });
    expect(first.out.ts).toMatch(/^\d+\.\d+$/);
    expect(first.out.thread_ts).toBe(first.out.ts);
    const stages = ['built', 'smoke-passed', 'awaiting-promotion', 'promoted'];
    for (const event of stages) {
      // A later job only has the outputs of the first one: ts and channel_id.
      const next = await send({
        event,
        ts: first.out.ts,
        'channel-id': first.out.channel_id,
        details: `${event} done`,
      });
      expect(next.out).toEqual(messageOutputs(first.out.ts));
    }
    const root = slack.messages.get(`C0DEPLOYS01/${first.out.ts}`)!;
    expect(root.history).toHaveLength(stages.length);
    expect(slack.log.filter((e) => !e.thread_ts).map((e) => `${e.kind} ${e.headline}`)).toEqual([
      'chat.postMessage :rocket: acme/shop · production — Started',
      'chat.update :package: acme/shop — Built',
      'chat.update :white_check_mark: acme/shop — Smoke tests passed',
      'chat.update :hourglass_flowing_sand: acme/shop — Awaiting promotion',
      'chat.update :large_green_circle: acme/shop — Promoted',
    ]);
    expect(root.replies).toHaveLength(5);
    expect(slack.log.filter((e) => e.thread_ts === first.out.ts).map((e) => e.text)).toEqual([
      'pipeline started',
      ...stages.map((s) => `${s} done`),
    ]);
    for (const r of slack.requests) {
      expect(r.status).toBe(200);
      expect(r.error).toBeUndefined();
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it('contract test: an update with a custom payload replaces the old blocks and attachments', async () => {
    const first = await send({ event: 'started' });
    await send({
      ts: first.out.ts,
      'channel-id': 'C0DEPLOYS01',
      payload: 'text: "${{ ci.repository }} custom"',
    });
    const current = slack.messages.get(`C0DEPLOYS01/${first.out.ts}`)!.current;
    expect(current).toMatchObject({ text: 'acme/shop custom', blocks: [], attachments: [] });
  });

  it('contract test: replies in an existing thread with details only, keeping the outputs for the next job', async () => {
    const first = await send({ event: 'started' });
    const reply = await send({
      'thread-ts': first.out.ts,
      'channel-id': 'C0DEPLOYS01',
      details: '```\nsmoke: p95 12 ms\n```',
    });
    expect(reply.out).toMatchObject({ ok: 'true', thread_ts: first.out.ts, channel_id: 'C0DEPLOYS01' });
    expect(slack.log.at(-1)).toMatchObject({ kind: 'chat.postMessage', thread_ts: first.out.ts });
  });

  it('contract test: oversized content is cut cleanly and Slack accepts it', async () => {
    const { platform } = await send({
      event: 'failed',
      message: 'error line\n'.repeat(1000),
      title: 'T'.repeat(300),
    });
    expect(slack.requests.at(-1)).toMatchObject({ status: 200, error: undefined });
    type Blocks = { text?: { text: string } }[];
    const body = slack.log.at(-1)!.body as { blocks: Blocks; attachments: { blocks: Blocks }[] };
    expect(body.blocks[0].text!.text).toMatch(/^:x: T+ … \(truncated\)$/);
    const section = body.attachments[0].blocks[1].text!.text;
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section).toMatch(/^error line\n(error line\n)+error line … \(truncated\)$/);
    expect(platform.text()).toMatch(/message kept within limits: header text cut from \d+ to 150/);
  });

  it('contract test: user text cannot ping a channel: & < > escaped in the fallback text and every block', async () => {
    const hostile = 'Deploy <!channel> & <https://evil.example|click> <@U123>';
    await send({
      event: 'failed',
      title: hostile,
      environment: 'prod <!here>',
      message: `*smoke:* ${hostile}`,
      details: hostile,
      'mention-on-failure': '@here',
    });
    expect(slack.requests.at(-1)).toMatchObject({ status: 200, error: undefined });
    // Everything mrkdwn: the fallback text, the attachment's blocks, the details reply (a header is
    // plain_text, which Slack never parses for mentions).
    const [root, reply] = slack.log.slice(-2).map((e) => e.body as { text: string; attachments?: unknown });
    const all = JSON.stringify([root.text, root.attachments, reply]);
    // The only special mention is the one asked for (mention-on-failure): in the text and its section.
    expect(all.match(/<!here>/g)).toHaveLength(2);
    expect(all).not.toMatch(/<!channel>|<@U123>|<https:\/\/evil/);
    expect(all).toContain('Deploy &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; &lt;@U123&gt;');
    expect(root.text).toMatch(/^<!here> :x: Deploy &lt;!channel&gt; &amp; .* · prod &lt;!here&gt; — Failed/);
    expect(all).toContain('*smoke:* Deploy &lt;!channel&gt;');
  });

  it('contract test: a custom payload is raw mrkdwn as written; the values filled into it are escaped', async () => {
    await send({
      payload: '{"text": "<!here> ${{ notify.message }}"}',
      message: '<!channel> & co',
    });
    expect(slack.log.at(-1)!.body).toMatchObject({ text: '<!here> &lt;!channel&gt; &amp; co' });
  });

  it('contract test: fills a payload file with CI context and earlier outputs', async () => {
    const file = join(tempDir('sknotify-'), 'deploy.json');
    writeFileSync(
      file,
      '{"text": "${{ ci.commit_title }}", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "image ${{ vars.image }}"}}]}',
    );
    await send({ 'payload-file': file, vars: '{"image": "registry/shop:1.4.0"}' });
    expect(slack.log.at(-1)!.body).toMatchObject({
      text: 'Fix checkout "totals" &lt;b&gt;&amp; rounding&lt;/b&gt;',
      blocks: [{ text: { text: 'image registry/shop:1.4.0' } }],
    });
  });
});

describe('notify from GitLab CI', () => {
  it('contract test: writes ts/thread_ts/channel_id to the dotenv report for later jobs', async () => {
    const dotenv = join(tempDir('sknotify-'), 'shipkit.env');
    const platform = new GitLabPlatform({ ...GITLAB_ENV, SHIPKIT_DOTENV: dotenv }, 'notify', () => undefined);
    await notify(
      readInputs({ token: TOKEN, channel: '#deploys', 'slack-api-url': slack.apiUrl, event: 'started' }),
      platform,
      GITLAB_ENV,
    );
    await platform.flush();
    const ts = slack.log.at(-1)!.ts;
    expect(readFileSync(dotenv, 'utf8').split('\n').sort().filter(Boolean)).toEqual([
      'SHIPKIT_NOTIFY_CHANNEL_ID=C0DEPLOYS01',
      'SHIPKIT_NOTIFY_OK=true',
      `SHIPKIT_NOTIFY_THREAD_TS=${ts}`,
      `SHIPKIT_NOTIFY_TS=${ts}`,
    ]);
  });
});

describe('notify when Slack says no', () => {
  const cases: { name: string; values: Values; code: RegExp }[] = [
    {
      name: 'unknown channel',
      values: { channel: '#nope', event: 'started' },
      code: /channel_not_found — the channel does not exist/,
    },
    {
      name: 'wrong token',
      values: { token: 'xoxb-999-wrong', event: 'started' },
      code: /invalid_auth — the token is not valid/,
    },
    {
      name: 'unknown ts',
      values: { 'channel-id': 'C0DEPLOYS01', ts: '1.000001', event: 'built' },
      code: /message_not_found/,
    },
  ];
  for (const c of cases) {
    it(`contract test: ${c.name} is a warning and ok=false by default, never a failed step`, async () => {
      const { platform, out } = await send(c.values);
      expect(out.ok).toBe('false');
      const warning = platform.lines.find((l) => l.level === 'warning');
      expect(warning?.message).toMatch(c.code);
      expect(warning?.message).toMatch(/not failing the job/);
    });
  }

  it('contract test: keeps the outputs of a posted message when its thread reply fails', async () => {
    const first = await send({ event: 'started' });
    // The update lands; the reply then names a thread that does not exist, and fails.
    const again = await send({
      event: 'built',
      ts: first.out.ts,
      'channel-id': 'C0DEPLOYS01',
      'thread-ts': '1.000009',
      details: 'x',
    });
    expect(again.out).toMatchObject({ ok: 'false', ts: first.out.ts, channel_id: 'C0DEPLOYS01' });
    expect(again.platform.text()).toMatch(/thread_not_found/);
  });

  it('contract test: invalid_blocks in a custom payload names the block Slack objected to', async () => {
    const { platform, out } = await send({
      payload: 'blocks: [{type: sectionn, text: {type: mrkdwn, text: hi}}]',
    });
    expect(out.ok).toBe('false');
    expect(platform.text()).toContain(
      'invalid_blocks ([ERROR] unknown block type [json-pointer:/blocks/0/type])',
    );
  });

  it('contract test: fail-on-error: true fails the step, after setting ok=false', async () => {
    const platform = new MemoryPlatform();
    await expect(
      send({ channel: '#nope', event: 'started', 'fail-on-error': 'true' }, platform),
    ).rejects.toThrow(StepFailure);
    expect(platform.outputs.get('ok')).toBe('false');
  });

  it('contract test: honours Retry-After on 429, then delivers exactly once', async () => {
    slack.failNext({ status: 429, error: 'ratelimited', retryAfter: 1 });
    const started = Date.now();
    const { platform, out } = await send({ event: 'started' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(out.ok).toBe('true');
    expect(slack.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(slack.log).toHaveLength(1);
    expect(platform.text()).toContain('rate limited (HTTP 429); retry 1/5 in 1000 ms');
  });

  it('contract test: backs off on 5xx, transient errors and timeouts, then delivers', async () => {
    slack.failNext({ status: 503, body: 'busy' }, { status: 200, error: 'internal_error' }, { delayMs: 400 });
    const { out } = await send({ event: 'started', timeout: '150ms' });
    expect(out.ok).toBe('true');
    expect(slack.requests.map((r) => r.status)).toEqual([503, 200, 0, 200]);
    expect(slack.log).toHaveLength(1);
  });

  it('contract test: gives up after the bounded retries with a warning', async () => {
    slack.failNext({ status: 500 }, { status: 502 }, { status: 500 });
    const { platform, out } = await send({ event: 'started', retries: 2 });
    expect(out.ok).toBe('false');
    expect(platform.text()).toMatch(/warning: .*HTTP 500 \(gave up after 3 attempts\)/);
  });

  it('contract test: takes the token from SLACK_BOT_TOKEN when the input is empty (GitLab masked variable)', async () => {
    const platform = new MemoryPlatform();
    const inputs = readInputs(
      { channel: '#deploys', 'slack-api-url': slack.apiUrl, event: 'built' },
      { SLACK_BOT_TOKEN: TOKEN },
    );
    await notify(inputs, platform, GITLAB_ENV);
    expect(platform.outputs.get('ok')).toBe('true');
    expect(slack.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('skips with a warning when no credentials are given (fork pull requests)', async () => {
    const platform = new MemoryPlatform();
    await notify(readInputs({ event: 'started' }), platform, GITLAB_ENV);
    expect(platform.outputs.get('ok')).toBe('false');
    expect(platform.text()).toMatch(/warning: Slack: no Slack token or webhook URL given/);
    expect(slack.requests).toHaveLength(0);
  });
});

describe('notify through an incoming webhook', () => {
  it('contract test: posts the ready-made message with details under it; the receiver answers ok', async () => {
    const platform = await sendWebhook({ event: 'rolled-back', details: 'health check failed' });
    expect(platform.outputs.get('ok')).toBe('true');
    expect(slack.log.at(-1)).toMatchObject({ kind: 'webhook', headline: ':rewind: acme/shop — Rolled back' });
    const body = slack.log.at(-1)!.body as { attachments: { blocks: { text?: { text: string } }[] }[] };
    expect(body.attachments[0].blocks.at(-1)?.text?.text).toBe('health check failed');
  });

  it('contract test: an empty text is answered no_text (400) and reported as a warning', async () => {
    const platform = await sendWebhook({ payload: '{"text": ""}' });
    expect(slack.requests.at(-1)).toMatchObject({ status: 400, error: 'no_text' });
    expect(platform.text()).toMatch(
      /warning: Slack notification failed: webhook: no_text — the message has no text/,
    );
  });

  it('warns that a webhook cannot update in place, and posts a new message', async () => {
    const platform = await sendWebhook({ ts: '1.000001', event: 'built' });
    expect(platform.text()).toMatch(/warning: Slack: an incoming webhook cannot update or reply in a thread/);
    expect(slack.log.at(-1)).toMatchObject({ kind: 'webhook' });
  });

  it('contract test: a revoked webhook (no_service) is a warning naming the error', async () => {
    const platform = new MemoryPlatform();
    await notify(
      readInputs({ 'webhook-url': `${slack.url}/services/T0/B0/revoked`, event: 'started' }),
      platform,
      GITLAB_ENV,
    );
    expect(platform.text()).toMatch(
      /warning: Slack notification failed: webhook: no_service — the webhook URL is unknown or was revoked/,
    );
  });
});
