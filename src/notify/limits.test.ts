import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../scripts/slack-contract.mjs';
import { cutText, guardMessage, LIMITS, TRUNCATED } from './limits.js';
import type { Block, SlackMessage } from './slack.js';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('cutText', () => {
  const rows: { name: string; text: string; max: number; check: (out: string) => void }[] = [
    { name: 'leaves text that fits alone', text: 'short', max: 10, check: (o) => expect(o).toBe('short') },
    {
      name: 'cuts on a word boundary and adds the note',
      text: words(100),
      max: 100,
      check: (o) => {
        expect(o.length).toBeLessThanOrEqual(100);
        expect(o.endsWith(` ${TRUNCATED}`)).toBe(true);
        expect(o.slice(0, -TRUNCATED.length - 1)).toMatch(/word\d+$/);
        expect(words(100).startsWith(o.slice(0, -TRUNCATED.length - 1))).toBe(true);
      },
    },
    {
      name: 'never splits a surrogate pair (emoji)',
      text: '😀'.repeat(200),
      max: 101,
      check: (o) => {
        expect(o.length).toBeLessThanOrEqual(101);
        expect(o).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      },
    },
    {
      name: 'does not leave half a <link|label>',
      text: `${'a'.repeat(70)} <https://example.com/very/long/path|label> tail`,
      max: 95,
      check: (o) => {
        expect(o).not.toContain('<https');
        expect(o.length).toBeLessThanOrEqual(95);
      },
    },
    {
      name: 'closes an open code fence',
      text: '```\n' + 'line of log output\n'.repeat(50) + '```',
      max: 200,
      check: (o) => {
        expect(o.match(/```/g)).toHaveLength(2);
        expect(o.length).toBeLessThanOrEqual(200);
      },
    },
    {
      name: 'hard-cuts tiny limits without a note',
      text: 'abcdefghijklmnop',
      max: 5,
      check: (o) => expect(o).toBe('abcde'),
    },
  ];
  for (const row of rows) it(row.name, () => row.check(cutText(row.text, row.max)));
});

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('guardMessage', () => {
  it('contract test: an oversized message is cut until Slack would accept it', () => {
    const msg: SlackMessage = {
      text: 'x'.repeat(50_000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'H'.repeat(400) } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: words(2000) },
          fields: Array.from({ length: 14 }, () => ({ type: 'mrkdwn', text: 'f'.repeat(2500) })),
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'B'.repeat(100) },
              url: 'https://x.example/',
            },
          ],
        },
        ...Array.from({ length: 60 }, (_, i) => section(`block ${i}`)),
      ],
    };
    expect(checkMessage(msg)).toBeDefined();
    const { message, notes } = guardMessage(msg);
    expect(checkMessage(message)).toBeUndefined();
    expect(message.blocks).toHaveLength(LIMITS.blocks);
    expect(JSON.stringify(message.blocks?.at(-1))).toContain('more blocks');
    const header = message.blocks?.[0].text as { text: string };
    expect(header.text.length).toBeLessThanOrEqual(150);
    expect(header.text.endsWith(TRUNCATED)).toBe(true);
    expect(message.text?.length).toBeLessThanOrEqual(40_000);
    expect(notes.join('\n')).toMatch(/header text cut from 400 to 150/);
    expect(notes.join('\n')).toMatch(/section fields: kept 10 of 14/);
  });

  it('keeps within the total across attachments and top-level blocks', () => {
    const msg: SlackMessage = {
      blocks: Array.from({ length: 30 }, (_, i) => section(`top ${i}`)),
      attachments: [{ color: 'good', blocks: Array.from({ length: 30 }, (_, i) => section(`att ${i}`)) }],
    };
    const { message } = guardMessage(msg);
    const count = (message.blocks?.length ?? 0) + (message.attachments?.[0].blocks?.length ?? 0);
    expect(count).toBe(50);
    expect(checkMessage(message)).toBeUndefined();
  });

  it('contract test: keeps the undocumented ~13k aggregate under the limit', () => {
    const msg: SlackMessage = {
      text: 'log',
      blocks: Array.from({ length: 8 }, () => section(words(600).slice(0, 2900))),
    };
    expect(checkMessage(msg)?.error).toBe('msg_blocks_too_long');
    const { message } = guardMessage(msg);
    expect(checkMessage(message)).toBeUndefined();
  });

  it('contract test: drops trailing blocks when many short texts still add up past the aggregate', () => {
    const fields = Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'x'.repeat(199) }));
    const msg: SlackMessage = {
      text: 't',
      attachments: [{ blocks: Array.from({ length: 20 }, () => ({ type: 'section', fields })) }],
    };
    expect(checkMessage(msg)?.error).toBe('msg_blocks_too_long');
    const { message, notes } = guardMessage(msg);
    expect(checkMessage(message)).toBeUndefined();
    expect(message.attachments![0].blocks!.length).toBe(6);
    expect(notes.at(-1)).toMatch(/^dropped 14 blocks/);
  });

  it('drops a button whose URL is too long instead of cutting it', () => {
    const msg: SlackMessage = {
      text: 't',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'go' },
              url: `https://x/${'a'.repeat(3100)}`,
            },
          ],
        },
      ],
    };
    const { message, notes } = guardMessage(msg);
    expect(message.blocks).toEqual([]);
    expect(notes[0]).toMatch(/url is longer/);
  });

  it('does not change a message within the limits, nor its input', () => {
    const msg: SlackMessage = { text: 'fine', blocks: [section('ok')] };
    const copy = structuredClone(msg);
    expect(guardMessage(msg)).toEqual({ message: copy, notes: [] });
    expect(msg).toEqual(copy);
  });
});
