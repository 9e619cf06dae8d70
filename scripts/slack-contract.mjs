// Slack's documented message contract, written from https://api.slack.com/reference/block-kit and the
// chat.postMessage / chat.update / incoming-webhook docs, independently of src/notify (so a test
// cannot pass by sharing a bug with the code under test). Used by scripts/slack-receiver.mjs.

export const CONTRACT_LIMITS = {
  blocks: 50,
  text: 40_000,
  header: 150,
  section: 3_000,
  fields: 10,
  field: 2_000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  url: 3_000,
  value: 2_000,
  actionId: 255,
  blockId: 255,
  altText: 2_000,
  // Not documented; Slack answers msg_blocks_too_long around 13 k characters across blocks.
  blocksTotal: 13_000,
};

const BLOCK_TYPES = new Set([
  'section',
  'header',
  'context',
  'actions',
  'divider',
  'image',
  'rich_text',
  'input',
  'file',
  'video',
  'markdown',
]);
const COLOR = /^(good|warning|danger|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})$/;

function textObject(obj, path, max, problems, { plainOnly = false } = {}) {
  if (!obj || typeof obj !== 'object')
    return (problems.push(`missing text object [json-pointer:${path}]`), 0);
  if (obj.type !== 'plain_text' && obj.type !== 'mrkdwn')
    problems.push(`invalid text type "${obj.type}" [json-pointer:${path}/type]`);
  if (plainOnly && obj.type !== 'plain_text') problems.push(`must be plain_text [json-pointer:${path}/type]`);
  if (obj.emoji !== undefined && obj.type !== 'plain_text')
    problems.push(`emoji is only for plain_text [json-pointer:${path}/emoji]`);
  if (typeof obj.text !== 'string' || obj.text.length === 0)
    return (problems.push(`text must be a non-empty string [json-pointer:${path}/text]`), 0);
  if (obj.text.length > max)
    problems.push(`must be less than ${max + 1} characters [json-pointer:${path}/text]`);
  return obj.text.length;
}

function element(el, path, problems) {
  if (!el || typeof el !== 'object') return problems.push(`element must be an object [json-pointer:${path}]`);
  if (el.type === 'button') {
    textObject(el.text, `${path}/text`, CONTRACT_LIMITS.buttonText, problems, { plainOnly: true });
    if (el.url !== undefined && (typeof el.url !== 'string' || el.url.length > CONTRACT_LIMITS.url))
      problems.push(`invalid url [json-pointer:${path}/url]`);
    if (el.value !== undefined && String(el.value).length > CONTRACT_LIMITS.value)
      problems.push(`value too long [json-pointer:${path}/value]`);
    if (el.action_id !== undefined && String(el.action_id).length > CONTRACT_LIMITS.actionId)
      problems.push(`action_id too long [json-pointer:${path}/action_id]`);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
      problems.push(`invalid style [json-pointer:${path}/style]`);
  } else if (el.type === 'image') {
    if (typeof el.image_url !== 'string' || typeof el.alt_text !== 'string')
      problems.push(`image needs image_url and alt_text [json-pointer:${path}]`);
  } else if (typeof el.type !== 'string') {
    problems.push(`element needs a type [json-pointer:${path}/type]`);
  }
}

function block(b, path, problems, ids) {
  if (!b || typeof b !== 'object' || !BLOCK_TYPES.has(b.type))
    return (problems.push(`unknown block type [json-pointer:${path}/type]`), 0);
  if (b.block_id !== undefined) {
    if (String(b.block_id).length > CONTRACT_LIMITS.blockId)
      problems.push(`block_id too long [json-pointer:${path}/block_id]`);
    if (ids.has(b.block_id)) problems.push(`duplicate block_id [json-pointer:${path}/block_id]`);
    ids.add(b.block_id);
  }
  let chars = 0;
  switch (b.type) {
    case 'header':
      chars += textObject(b.text, `${path}/text`, CONTRACT_LIMITS.header, problems, { plainOnly: true });
      break;
    case 'section':
      if (b.text === undefined && b.fields === undefined)
        problems.push(`section needs text or fields [json-pointer:${path}]`);
      if (b.text !== undefined)
        chars += textObject(b.text, `${path}/text`, CONTRACT_LIMITS.section, problems);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length === 0 || b.fields.length > CONTRACT_LIMITS.fields)
          problems.push(
            `fields must hold 1 to ${CONTRACT_LIMITS.fields} items [json-pointer:${path}/fields]`,
          );
        else
          b.fields.forEach(
            (f, i) => (chars += textObject(f, `${path}/fields/${i}`, CONTRACT_LIMITS.field, problems)),
          );
      }
      if (b.accessory !== undefined) element(b.accessory, `${path}/accessory`, problems);
      break;
    case 'context':
      if (
        !Array.isArray(b.elements) ||
        b.elements.length === 0 ||
        b.elements.length > CONTRACT_LIMITS.contextElements
      )
        problems.push(
          `elements must hold 1 to ${CONTRACT_LIMITS.contextElements} items [json-pointer:${path}/elements]`,
        );
      else
        b.elements.forEach((e, i) => {
          if (e?.type === 'image') element(e, `${path}/elements/${i}`, problems);
          else chars += textObject(e, `${path}/elements/${i}`, CONTRACT_LIMITS.section, problems);
        });
      break;
    case 'actions':
      if (
        !Array.isArray(b.elements) ||
        b.elements.length === 0 ||
        b.elements.length > CONTRACT_LIMITS.actionsElements
      )
        problems.push(
          `elements must hold 1 to ${CONTRACT_LIMITS.actionsElements} items [json-pointer:${path}/elements]`,
        );
      else b.elements.forEach((e, i) => element(e, `${path}/elements/${i}`, problems));
      break;
    case 'image':
      if (typeof b.image_url !== 'string' || b.image_url.length > CONTRACT_LIMITS.url)
        problems.push(`invalid image_url [json-pointer:${path}/image_url]`);
      if (typeof b.alt_text !== 'string' || b.alt_text.length > CONTRACT_LIMITS.altText)
        problems.push(`invalid alt_text [json-pointer:${path}/alt_text]`);
      break;
  }
  return chars;
}

/**
 * Checks a message body (chat.postMessage, chat.update or webhook) against the contract. Returns
 * `undefined` when Slack would accept it, else `{ error, messages }` as Slack would answer.
 */
export function checkMessage(msg) {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg))
    return { error: 'invalid_payload', messages: ['not an object'] };
  const hasBlocks = Array.isArray(msg.blocks) && msg.blocks.length > 0;
  const hasAttachments = Array.isArray(msg.attachments) && msg.attachments.length > 0;
  if ((typeof msg.text !== 'string' || msg.text === '') && !hasBlocks && !hasAttachments)
    return { error: 'no_text', messages: [] };
  if (msg.text !== undefined && typeof msg.text !== 'string')
    return { error: 'invalid_arguments', messages: ['text must be a string'] };
  if (typeof msg.text === 'string' && msg.text.length > CONTRACT_LIMITS.text)
    return { error: 'msg_too_long', messages: [] };
  const problems = [];
  const ids = new Set();
  let count = 0;
  let chars = 0;
  if (msg.blocks !== undefined) {
    if (!Array.isArray(msg.blocks))
      return { error: 'invalid_blocks_format', messages: ['blocks must be an array'] };
    msg.blocks.forEach((b, i) => (chars += block(b, `/blocks/${i}`, problems, ids)));
    count += msg.blocks.length;
  }
  if (msg.attachments !== undefined) {
    if (!Array.isArray(msg.attachments))
      return { error: 'invalid_attachments', messages: ['attachments must be an array'] };
    for (const [i, a] of msg.attachments.entries()) {
      if (!a || typeof a !== 'object')
        return { error: 'invalid_attachments', messages: [`attachment ${i} is not an object`] };
      if (a.color !== undefined && !COLOR.test(a.color))
        return { error: 'invalid_attachments', messages: [`attachment ${i}: bad color`] };
      if (a.blocks !== undefined) {
        if (!Array.isArray(a.blocks))
          return { error: 'invalid_attachments', messages: [`attachment ${i}: blocks must be an array`] };
        a.blocks.forEach((b, j) => (chars += block(b, `/attachments/${i}/blocks/${j}`, problems, ids)));
        count += a.blocks.length;
      }
    }
  }
  if (count > CONTRACT_LIMITS.blocks)
    problems.push(`no more than ${CONTRACT_LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  if (problems.length) return { error: 'invalid_blocks', messages: problems.map((p) => `[ERROR] ${p}`) };
  if (chars > CONTRACT_LIMITS.blocksTotal) return { error: 'msg_blocks_too_long', messages: [] };
  return undefined;
}

/** The line a person would read first: the header block's text, else the first line of `text`. */
export function headline(msg) {
  const all = [...(msg.blocks ?? []), ...(msg.attachments ?? []).flatMap((a) => a?.blocks ?? [])];
  const header = all.find((b) => b?.type === 'header');
  return header?.text?.text ?? String(msg.text ?? '').split('\n')[0];
}
