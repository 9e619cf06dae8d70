import type { Block, SlackMessage } from './slack.js';

/** Slack's documented Block Kit and message limits (characters; UTF-16 units, which never undercount). */
export const LIMITS = {
  blocks: 50,
  fallbackText: 40_000,
  headerText: 150,
  sectionText: 3_000,
  fields: 10,
  fieldText: 2_000,
  contextElements: 10,
  contextText: 3_000,
  actionsElements: 25,
  buttonText: 75,
  url: 3_000,
  buttonValue: 2_000,
  actionId: 255,
  blockId: 255,
  altText: 2_000,
  /** Undocumented: Slack answers `msg_blocks_too_long` near 13 k characters across all blocks. */
  totalBlockText: 12_000,
} as const;

export const TRUNCATED = '… (truncated)';

/**
 * Cuts `text` to at most `max` characters, ending on a word boundary where one is near, never inside a
 * surrogate pair or a `<link|label>`, closing an open ``` fence, and adding `note`. Returns it unchanged
 * when it fits.
 */
export function cutText(text: string, max: number, note = TRUNCATED): string {
  if (text.length <= max) return text;
  const tail = ` ${note}`;
  if (max <= tail.length + 8) return safeSlice(text, max);
  let room = max - tail.length;
  let cut = shape(safeSlice(text, room), room);
  if ((cut.match(/```/g)?.length ?? 0) % 2 === 1) {
    room -= 4;
    cut = shape(safeSlice(text, room), room) + '\n```';
  }
  return cut + tail;
}

function safeSlice(text: string, n: number): string {
  const cut = text.slice(0, n);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function shape(cut: string, room: number): string {
  let out = cut;
  const open = out.lastIndexOf('<');
  if (open > out.lastIndexOf('>')) out = out.slice(0, open);
  const space = out.search(/\s\S*$/);
  if (space > room * 0.8) out = out.slice(0, space);
  return out.trimEnd();
}

type TextObject = { type?: string; text?: unknown };

function cutField(
  obj: Record<string, unknown> | undefined,
  key: string,
  max: number,
  notes: string[],
  what: string,
  note?: string,
) {
  const value = obj?.[key];
  if (typeof value === 'string' && value.length > max) {
    obj![key] = cutText(value, max, note);
    notes.push(`${what} cut from ${value.length} to ${max} characters`);
  }
}

function cutTextObject(obj: unknown, max: number, notes: string[], what: string, note?: string): void {
  if (obj && typeof obj === 'object') cutField(obj as TextObject, 'text', max, notes, what, note);
}

function cutList(
  block: Record<string, unknown>,
  key: string,
  max: number,
  notes: string[],
  what: string,
): void {
  const list = block[key];
  if (Array.isArray(list) && list.length > max) {
    notes.push(`${what}: kept ${max} of ${list.length}`);
    block[key] = list.slice(0, max);
  }
}

function guardElement(el: Record<string, unknown>, notes: string[]): boolean {
  cutTextObject(el.text, LIMITS.buttonText, notes, 'button text', '…');
  cutField(el, 'value', LIMITS.buttonValue, notes, 'button value', '…');
  cutField(el, 'action_id', LIMITS.actionId, notes, 'action_id', '…');
  // A cut URL would point somewhere else: drop the element instead.
  if (typeof el.url === 'string' && el.url.length > LIMITS.url) {
    notes.push(`dropped an element whose url is longer than ${LIMITS.url} characters`);
    return false;
  }
  return true;
}

function guardBlock(block: Block, notes: string[]): boolean {
  cutField(block, 'block_id', LIMITS.blockId, notes, 'block_id', '…');
  switch (block.type) {
    case 'header':
      cutTextObject(block.text, LIMITS.headerText, notes, 'header text');
      break;
    case 'section': {
      cutTextObject(block.text, LIMITS.sectionText, notes, 'section text');
      cutList(block, 'fields', LIMITS.fields, notes, 'section fields');
      for (const field of (block.fields as unknown[] | undefined) ?? [])
        cutTextObject(field, LIMITS.fieldText, notes, 'field text');
      const acc = block.accessory as Record<string, unknown> | undefined;
      if (acc && !guardElement(acc, notes)) delete block.accessory;
      break;
    }
    case 'context':
      cutList(block, 'elements', LIMITS.contextElements, notes, 'context elements');
      for (const el of (block.elements as unknown[] | undefined) ?? [])
        cutTextObject(el, LIMITS.contextText, notes, 'context text');
      break;
    case 'actions': {
      const kept = ((block.elements as Record<string, unknown>[] | undefined) ?? []).filter((el) =>
        guardElement(el, notes),
      );
      if (kept.length === 0) return false;
      block.elements = kept;
      cutList(block, 'elements', LIMITS.actionsElements, notes, 'actions elements');
      break;
    }
    case 'image':
      cutField(block, 'alt_text', LIMITS.altText, notes, 'image alt_text');
      if (typeof block.image_url === 'string' && block.image_url.length > LIMITS.url) {
        notes.push(`dropped an image whose url is longer than ${LIMITS.url} characters`);
        return false;
      }
      break;
  }
  return true;
}

function guardBlocks(blocks: Block[], budget: number, notes: string[]): Block[] {
  const kept = blocks.filter((b) => guardBlock(b, notes));
  if (kept.length <= budget) return kept;
  const room = Math.max(0, budget - 1);
  notes.push(`kept ${room} of ${kept.length} blocks`);
  const more: Block = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `… ${kept.length - room} more blocks ${TRUNCATED.slice(2)}` }],
  };
  return budget > 0 ? [...kept.slice(0, room), more] : [];
}

/** Every section/field/context text object in the message, for the aggregate budget. */
function texts(blocks: Block[]): TextObject[] {
  const out: TextObject[] = [];
  for (const b of blocks) {
    if (b.type === 'section' || b.type === 'header') out.push(b.text as TextObject);
    if (b.type === 'section') out.push(...((b.fields as TextObject[] | undefined) ?? []));
    if (b.type === 'context') out.push(...((b.elements as TextObject[] | undefined) ?? []));
  }
  return out.filter((t) => t && typeof t.text === 'string');
}

function guardTotal(blocks: Block[], notes: string[]): void {
  const all = texts(blocks);
  const total = () => all.reduce((n, t) => n + (t.text as string).length, 0);
  const before = total();
  // Shrink the longest text first, a bit below the excess each time, until the whole fits.
  for (let i = 0; i < 50 && total() > LIMITS.totalBlockText; i++) {
    const longest = all.reduce((a, b) => ((a.text as string).length >= (b.text as string).length ? a : b));
    const len = (longest.text as string).length;
    const target = Math.max(200, len - (total() - LIMITS.totalBlockText) - 20);
    if (target >= len) break;
    longest.text = cutText(longest.text as string, target);
  }
  if (total() < before) notes.push(`block text cut from ${before} to ${total()} characters in total`);
}

/** Many short texts can still add up: drop blocks from the end (keeping the first) until they fit. */
function dropUntilTotalFits(lists: Block[][], notes: string[]): void {
  const size = () => texts(lists.flat()).reduce((n, t) => n + (t.text as string).length, 0);
  let dropped = 0;
  for (let list = lists.length - 1; list >= 0; list--) {
    while (size() > LIMITS.totalBlockText && lists[list].length > (list === 0 ? 1 : 0)) {
      lists[list].pop();
      dropped++;
    }
  }
  if (dropped)
    notes.push(`dropped ${dropped} blocks to keep the total text under ${LIMITS.totalBlockText} characters`);
}

/**
 * Returns a copy of `message` that stays within Slack's limits (see `LIMITS`): long texts are cut
 * cleanly with a "… (truncated)" note, surplus blocks/fields/elements are dropped with a note, and
 * elements whose URL cannot be cut are removed. `notes` says what changed (empty when nothing did).
 */
export function guardMessage(message: SlackMessage): { message: SlackMessage; notes: string[] } {
  const notes: string[] = [];
  const out = structuredClone(message);
  if (typeof out.text === 'string') cutField(out, 'text', LIMITS.fallbackText, notes, 'fallback text');
  let budget: number = LIMITS.blocks;
  if (Array.isArray(out.blocks)) {
    out.blocks = guardBlocks(out.blocks, budget, notes);
    budget -= out.blocks.length;
  }
  for (const att of out.attachments ?? []) {
    if (!Array.isArray(att.blocks)) continue;
    att.blocks = guardBlocks(att.blocks, budget, notes);
    budget -= att.blocks.length;
  }
  const lists = [out.blocks ?? [], ...(out.attachments ?? []).map((a) => a.blocks ?? [])];
  guardTotal(lists.flat(), notes);
  dropUntilTotalFits(lists, notes);
  return { message: out, notes };
}
