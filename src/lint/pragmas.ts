import type { Instruction } from './parse.js';
import type { Finding } from './types.js';

// DL, SC and shipkit's SK codes (the stack rules' findings in Dockerfiles take the same pragmas).
const CODES = '([DLSCK0-9]+(?:\\s*,\\s*[DLSCK0-9]+)*)';
const TAIL = '\\s*(?:#.*)?$';
const INLINE = new RegExp(`^\\s*hadolint\\s+ignore\\s*=\\s*${CODES}${TAIL}`);
const GLOBAL = new RegExp(`^\\s*hadolint\\s+global\\s+ignore\\s*=\\s*${CODES}${TAIL}`);
const STAGE = new RegExp(`^\\s*hadolint\\s+stage\\s+ignore\\s*=\\s*${CODES}${TAIL}`);
const SHELL = /^\s*hadolint\s+shell\s*=\s*(\S+)\s*(?:#.*)?$/;

const codes = (list: string) => list.split(',').map((c) => c.trim());

export interface Pragmas {
  /** Codes ignored on a line (the line after an inline pragma). */
  inline: Map<number, Set<string>>;
  global: Set<string>;
  /** Stage pragmas: codes ignored on lines from..to (inclusive). */
  stage: { from: number; to: number; codes: Set<string> }[];
  /** Lines of inline ignore pragmas (DL1001). */
  inlineLines: number[];
}

/** Collects ignore pragmas from the comments. */
export function collectPragmas(instructions: Instruction[]): Pragmas {
  const p: Pragmas = { inline: new Map(), global: new Set(), stage: [], inlineLines: [] };
  const froms = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.line);
  for (const i of instructions) {
    if (i.keyword !== '#') continue;
    let m = INLINE.exec(i.args);
    if (m) {
      p.inline.set(i.line + 1, new Set(codes(m[1])));
      p.inlineLines.push(i.line);
      continue;
    }
    m = GLOBAL.exec(i.args);
    if (m) {
      codes(m[1]).forEach((c) => p.global.add(c));
      continue;
    }
    m = STAGE.exec(i.args);
    if (m) {
      const next = froms.find((l) => l > i.line + 1);
      p.stage.push({ from: i.line + 2, to: next ?? Infinity, codes: new Set(codes(m[1])) });
    }
  }
  return p;
}

/** The value of a `# hadolint shell=` pragma, if the comment is one. */
export function shellPragma(comment: string): string | undefined {
  return SHELL.exec(comment)?.[1];
}

/** Drops findings covered by an inline, stage or global pragma. */
export function applyPragmas(findings: Finding[], p: Pragmas): Finding[] {
  return findings.filter((f) => {
    if (p.global.has(f.code)) return false;
    if (p.inline.get(f.line)?.has(f.code)) return false;
    return !p.stage.some((s) => f.line >= s.from && f.line <= s.to && s.codes.has(f.code));
  });
}
