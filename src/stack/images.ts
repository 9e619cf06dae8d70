import { UserError } from '../core/errors.js';

const FIELD = { field: 'input "images"' };

/**
 * Reads the images to run: build-push's `images` output (JSON `{ "<service>": { "image": "ref@digest",
 * … } }`, or `{ "<service>": "ref" }`) or `service=image` lines. Returns service → image reference.
 * Throws `UserError` naming the input on anything else.
 */
export function parseImages(text: string | undefined): Record<string, string> {
  const src = text?.trim();
  if (!src) return {};
  if (src.startsWith('{')) return fromJson(src);
  const out: Record<string, string> = {};
  for (const [i, raw] of src.split(/\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const service = line.slice(0, eq).trim();
    const image = line.slice(eq + 1).trim();
    if (eq <= 0 || !image || /\s/.test(image)) {
      throw new UserError(`line ${i + 1}: expected service=image, got "${line}"`, FIELD);
    }
    out[service] = image;
  }
  return out;
}

function fromJson(src: string): Record<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(src);
  } catch (err: unknown) {
    throw new UserError(`not valid JSON (${(err as Error).message})`, FIELD);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError('expected a JSON object keyed by service', FIELD);
  }
  const out: Record<string, string> = {};
  for (const [service, value] of Object.entries(data as Record<string, unknown>)) {
    const image = typeof value === 'string' ? value : (value as { image?: unknown } | null)?.image;
    if (typeof image !== 'string' || !image) {
      throw new UserError(`service "${service}": expected a string or an object with "image"`, FIELD);
    }
    out[service] = image;
  }
  return out;
}
