/**
 * Compose interpolates `$` in its files and writes a literal one as `$$`. Both directions walk a
 * parsed model the same way: every string in it, through arrays and maps, keys left as they are.
 */

function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
}

/** `$$` → `$`: both compose versions print the model re-readable, with literal dollars doubled. */
export function unescapeDollars(v: unknown): unknown {
  return mapStrings(v, (s) => s.replaceAll('$$', '$'));
}

/** Every `$` doubled, so that compose reads each string of the value literally. */
export function escapeDollars(v: unknown): unknown {
  return mapStrings(v, (s) => s.replaceAll('$', '$$$$'));
}
