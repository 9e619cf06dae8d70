import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/lint/config.js';
import { lintText } from '../../src/lint/lint.js';
import { parseShell } from '../../src/lint/shell.js';

// Deterministic pseudo-random input: the parser and rules must never hang or throw.
let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const ALPHABET = [
  'a',
  ' ',
  '\t',
  '\f',
  '\u00a0',
  '\\',
  '\n',
  '"',
  "'",
  '$',
  '(',
  ')',
  '{',
  '}',
  '`',
  '|',
  '&',
  ';',
  '<',
  '>',
  '#',
  '=',
  '-',
  '[',
  ']',
  'RUN ',
  'FROM ',
  'COPY ',
  '<<EOF',
  'EOF',
  'ONBUILD ',
  '--mount=',
  'apt-get install ',
];
const junk = (n: number) =>
  Array.from({ length: n }, () => ALPHABET[Math.floor(rnd() * ALPHABET.length)]).join('');

describe('robustness', () => {
  it('shell parser terminates on arbitrary text', () => {
    for (let k = 0; k < 1500; k++) expect(() => parseShell(junk(60))).not.toThrow();
  });
  it('lintText never throws: every input gives findings or one DL1000', () => {
    for (let k = 0; k < 1500; k++) {
      const out = lintText('FROM a:1\n' + junk(80), DEFAULT_CONFIG);
      expect(Array.isArray(out)).toBe(true);
      if (out.some((f) => f.code === 'DL1000')) expect(out).toHaveLength(1);
    }
  });
});
