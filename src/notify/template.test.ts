import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runContext } from '../platform/context.js';
import { renderPayload, templateValues } from './template.js';
import { GITLAB_ENV, GITHUB_ENV, readInputs, TOKEN } from './testkit.js';
import { userErrorOf } from '../../test/helpers/thrown.js';
import { tempDir } from '../../test/helpers/tmp.js';

const values = (env = GITLAB_ENV, vars: Record<string, string> = {}) =>
  templateValues(runContext(env, '/w'), { event: 'promoted', environment: 'production' }, vars);
const inline = (text: string) => ({ text, field: 'input "payload"' });

describe('custom payloads', () => {
  it('fills placeholders in YAML after parsing: quotes in a commit title stay intact, markup is escaped', () => {
    const yaml = [
      'text: "${{ ci.repository }} ${{ notify.event }} to ${{ notify.environment }}"',
      'blocks:',
      '  - type: section',
      '    text:',
      '      type: mrkdwn',
      '      text: ${{ ci.short_sha }} ${{ ci.commit_title }} (v${{ vars.version }})',
    ].join('\n');
    const msg = renderPayload(inline(yaml), values(GITLAB_ENV, { version: '1.4.0' }), {}, []);
    expect(msg.text).toBe('acme/shop promoted to production');
    expect(msg.blocks?.[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '0123456 Fix checkout "totals" &lt;b&gt;&amp; rounding&lt;/b&gt; (v1.4.0)',
      },
    });
  });

  it('reads JSON, with github.* names filled from either platform, and env.* from the given environment', () => {
    const json =
      '{"text": "${{ github.repository }}@${{ github.ref_name }} by ${{ github.actor }} ${{ env.RELEASE }}"}';
    const msg = renderPayload(inline(json), values(GITHUB_ENV), { RELEASE: 'r7' }, []);
    expect(msg.text).toBe('acme/shop@main by octocat r7');
  });

  it('names an unknown placeholder with the file, line and column', () => {
    const dir = tempDir('sknotify-');
    const file = join(dir, 'msg.yml');
    writeFileSync(
      file,
      'text: ok\nblocks:\n  - type: section\n    text: {type: mrkdwn, text: "v${{ vars.verison }}"}\n',
    );
    const err = userErrorOf(() => {
      const inputs = readInputs({
        token: TOKEN,
        channel: 'C0DEPLOYS01',
        'payload-file': file,
        vars: 'version=1',
      });
      renderPayload(inputs.payload!, values(GITLAB_ENV, inputs.vars), {}, []);
    });
    expect(err.toString()).toBe(
      `${file}:4:34: input "payload-file": unknown placeholder "\${{ vars.verison }}" (known: vars.version)`,
    );
  });

  it('names an unknown placeholder in an inline payload by line', () => {
    const err = userErrorOf(() =>
      renderPayload(inline('text: a\nblocks: []\nfoo: ${{ ci.nope }}'), values(), {}, []),
    );
    expect(err.message).toMatch(
      /^unknown placeholder "\$\{\{ ci.nope \}\}" \(known: ci.platform, .*\) \(line 3, column 6\)$/,
    );
    expect(err.location.field).toBe('input "payload"');
  });

  it('refuses an env placeholder that would send the token to Slack', () => {
    const err = userErrorOf(() =>
      renderPayload(inline('text: ${{ env.SLACK_TOKEN }}'), values(), { SLACK_TOKEN: TOKEN }, [TOKEN]),
    );
    expect(err.message).toMatch(/holds the Slack token or webhook URL/);
    expect(err.message).not.toContain(TOKEN);
  });

  const bad: { name: string; text: string; error: RegExp }[] = [
    {
      name: 'broken JSON',
      text: '{"text": "a",}',
      error: /^payload is not valid JSON: .* \(line 1, column \d+\)$/,
    },
    {
      name: 'broken YAML',
      text: 'text: [a\nblocks: 1',
      error: /^payload is not valid YAML: .*\(line \d, column \d+\)$/,
    },
    { name: 'no message fields', text: 'channel: C1', error: /needs "text", "blocks" or "attachments"/ },
    { name: 'blocks not a list', text: 'blocks: {type: section}', error: /"blocks" must be a list/ },
    { name: 'block without a type', text: 'blocks: [{text: hi}]', error: /blocks\[0\] needs a "type"/ },
    { name: 'an expression, not a name', text: 'text: ${{ ci.sha || 1 }}', error: /unsupported placeholder/ },
  ];
  for (const row of bad) {
    it(`rejects ${row.name} with a one-line UserError`, () => {
      const err = userErrorOf(() => renderPayload(inline(row.text), values(), {}, []));
      expect(err.message).toMatch(row.error);
      expect(err.message).not.toContain('\n');
    });
  }
});
