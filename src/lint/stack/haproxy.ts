/**
 * A small HAProxy configuration reader: sections (`global`, `defaults`, `frontend`, `backend`,
 * `listen`, `resolvers`, …) with their keyword lines split into words as HAProxy does (quotes,
 * backslash escapes, `#` comments). It never throws: a syntax error comes back with its line.
 */

import { scanWords } from '../parse.js';

export interface HaLine {
  words: string[];
  line: number;
}

export interface HaSection {
  kind: string;
  name: string;
  line: number;
  lines: HaLine[];
}

export type HaproxyParse = { ok: true; sections: HaSection[] } | { ok: false; line: number; message: string };

export const SECTIONS = new Set([
  'global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers', 'peers', 'userlist', 'mailers',
  'program', 'http-errors', 'ring', 'cache', 'crt-store', 'log-forward', 'traces', 'acme',
]); // prettier-ignore

/** HAProxy's word splitting of one line (spaces and tabs, `#` comments); a string is an error message. */
export function haWords(text: string): string[] | string {
  const { words, quote } = scanWords(text, { blank: /[ \t]/, comment: true });
  if (quote) return `unmatched ${quote === '"' ? 'double' : 'single'} quote`;
  return words;
}

/** Parses haproxy.cfg text. */
export function parseHaproxy(text: string): HaproxyParse {
  const sections: HaSection[] = [];
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const w = haWords(lines[k].replace(/\r$/, ''));
    if (typeof w === 'string') return { ok: false, line: k + 1, message: w };
    if (w.length === 0) continue;
    if (SECTIONS.has(w[0])) {
      sections.push({ kind: w[0], name: w[1] ?? '', line: k + 1, lines: [] });
      continue;
    }
    const current = sections[sections.length - 1];
    if (!current) return { ok: false, line: k + 1, message: `unknown keyword "${w[0]}" out of section` };
    current.lines.push({ words: w, line: k + 1 });
  }
  return { ok: true, sections };
}

/** `host:port` of a server address; IPv6 in brackets; the port may be absent or a range. */
export function splitAddress(addr: string): { host: string; port?: string } {
  const a = addr.replace(/^(ipv4@|ipv6@|tcp@|tcp4@|tcp6@)/, '');
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(a);
  if (v6) return { host: v6[1], port: v6[2] };
  const i = a.lastIndexOf(':');
  if (i < 0 || a.indexOf(':') !== i) return { host: a };
  return { host: a.slice(0, i), port: a.slice(i + 1) || undefined };
}
