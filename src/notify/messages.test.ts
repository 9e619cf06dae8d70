import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkMessage } from '../../scripts/slack-contract.mjs';
import { runContext } from '../platform/context.js';
import { EVENTS, eventMessage, formatDuration } from './messages.js';
import type { Block } from './slack.js';
import { planMessages } from './step.js';
import { GITHUB_ENV, GITLAB_ENV, readInputs, TOKEN } from './testkit.js';
import { tempDir } from '../../test/helpers/tmp.js';

const facts = {
  environment: 'production',
  environmentUrl: 'https://shop.example.com',
  versionBefore: '1.3.9',
  versionAfter: '1.4.0',
  durationMs: 192_000,
};

function githubEnv() {
  const dir = tempDir('sknotify-');
  const event = join(dir, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({ head_commit: { message: 'Fix checkout "totals" <b>& rounding</b>\n\nlong body' } }),
  );
  return { ...GITHUB_ENV, GITHUB_EVENT_PATH: event };
}

const fieldTexts = (blocks: Block[]) => (blocks[0].fields as { text: string }[]).map((f) => f.text);

describe('ready-made event messages', () => {
  for (const event of EVENTS) {
    it(`contract test: "${event}" is a valid message from both GitHub and GitLab context`, () => {
      for (const env of [githubEnv(), GITLAB_ENV]) {
        const msg = eventMessage(event, runContext(env, '/w'), facts);
        expect(checkMessage(msg)).toBeUndefined();
        expect(msg.text).toContain('acme/shop');
      }
    });
  }

  it('shows the same facts from GitHub and GitLab (links differ only by host and path)', () => {
    const gh = eventMessage('promoted', runContext(githubEnv(), '/w'), facts);
    const gl = eventMessage('promoted', runContext(GITLAB_ENV, '/w'), facts);
    const ghBlocks = gh.attachments![0].blocks!;
    const glBlocks = gl.attachments![0].blocks!;
    expect(gh.attachments![0].color).toBe('#2EB67D');
    expect(ghBlocks.map((b) => b.type)).toEqual(glBlocks.map((b) => b.type));
    expect(gh.blocks).toEqual(gl.blocks);
    expect(gh.blocks![0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: ':large_green_circle: acme/shop · production — Promoted',
        emoji: true,
      },
    });
    const strip = (t: string) => t.replace(/<https:\/\/[^|]+\|/g, '<URL|');
    expect(fieldTexts(ghBlocks).map(strip)).toEqual(fieldTexts(glBlocks).map(strip));
    expect(fieldTexts(ghBlocks)).toEqual([
      '*Status*\n:large_green_circle: Promoted',
      '*Repository*\n<https://github.com/acme/shop|acme/shop>',
      '*Branch*\n`main`',
      '*Commit*\n<https://github.com/acme/shop/commit/0123456789abcdef0123456789abcdef01234567|0123456> Fix checkout "totals" &lt;b&gt;&amp; rounding&lt;/b&gt;',
      '*Triggered by*\noctocat',
      '*Environment*\n<https://shop.example.com|production>',
      '*Version*\n`1.3.9` → `1.4.0`',
      '*Duration*\n3m 12s',
    ]);
    expect(fieldTexts(glBlocks)[3]).toContain(
      '<https://gitlab.example.com/acme/shop/-/commit/0123456789abcdef0123456789abcdef01234567|0123456>',
    );
  });

  it('links buttons to the run/pipeline, the job and the environment', () => {
    const buttons = (env: typeof GITLAB_ENV, jobUrl?: string) => {
      const blocks = eventMessage('failed', runContext(env, '/w'), { ...facts, jobUrl }).attachments![0]
        .blocks!;
      const actions = blocks.find((b) => b.type === 'actions')!;
      return (actions.elements as { text: { text: string }; url: string }[]).map(
        (e) => `${e.text.text} ${e.url}`,
      );
    };
    expect(buttons(GITLAB_ENV)).toEqual([
      'View pipeline https://gitlab.example.com/acme/shop/-/pipelines/900',
      'View job https://gitlab.example.com/acme/shop/-/jobs/901',
      'Open production https://shop.example.com',
    ]);
    expect(buttons(GITHUB_ENV, 'https://github.com/acme/shop/actions/runs/42/job/7')).toEqual([
      'View run https://github.com/acme/shop/actions/runs/42',
      'View job https://github.com/acme/shop/actions/runs/42/job/7',
      'Open production https://shop.example.com',
    ]);
  });

  it('formats durations', () => {
    expect([45_000, 192_000, 3_720_000].map(formatDuration)).toEqual(['45s', '3m 12s', '1h 02m']);
  });
});

describe('mentions', () => {
  const ctx = runContext(GITLAB_ENV, '/w');
  it('pings only on failed and rolled-back, in the fallback text too (so the notification reaches people)', () => {
    for (const event of EVENTS) {
      const msg = eventMessage(event, ctx, { mention: '@here <!subteam^S0ONCALL>' });
      const pinged = event === 'failed' || event === 'rolled-back';
      expect(msg.text!.startsWith('<!here> <!subteam^S0ONCALL> '), event).toBe(pinged);
      expect(JSON.stringify(msg.attachments).includes('<!here> <!subteam^S0ONCALL>'), event).toBe(pinged);
    }
  });
});

describe('planMessages', () => {
  it('shows the time since the first post as the duration of an update, unless duration is given', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const ts = `${now / 1000 - 192}.000100`;
    const fieldsOf = (values: Record<string, string>) => {
      const plan = planMessages(
        readInputs({ token: TOKEN, 'channel-id': 'C0DEPLOYS01', ts, event: 'promoted', ...values }),
        runContext(GITLAB_ENV, '/w'),
        {},
        now,
      );
      return JSON.stringify(plan.main);
    };
    expect(fieldsOf({})).toContain('*Duration*\\n3m 12s');
    expect(fieldsOf({ duration: '45s' })).toContain('*Duration*\\n45s');
  });
});

describe('commit title in the run context', () => {
  const withEvent = (payload: unknown) => {
    const file = join(tempDir('sknotify-'), 'event.json');
    writeFileSync(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
    return runContext({ ...GITHUB_ENV, GITHUB_EVENT_PATH: file }, '/w').commitTitle;
  };
  it('reads GitHub head_commit, else the pull request title, and tolerates a broken payload', () => {
    expect(withEvent({ head_commit: { message: 'First line\n\nbody' } })).toBe('First line');
    expect(withEvent({ pull_request: { title: 'Add blue-green' } })).toBe('Add blue-green');
    expect(withEvent('{not json')).toBeUndefined();
    expect(runContext(GITHUB_ENV, '/w').commitTitle).toBeUndefined();
  });
  it('reads GitLab CI_COMMIT_TITLE, else the first line of CI_COMMIT_MESSAGE', () => {
    expect(runContext(GITLAB_ENV, '/w').commitTitle).toBe(GITLAB_ENV.CI_COMMIT_TITLE);
    const env = { ...GITLAB_ENV, CI_COMMIT_TITLE: undefined, CI_COMMIT_MESSAGE: 'Subject\nbody' };
    expect(runContext(env, '/w').commitTitle).toBe('Subject');
  });
});
