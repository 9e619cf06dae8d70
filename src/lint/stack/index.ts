import { resolve } from 'node:path';
import { parseDockerfile } from '../parse.js';
import { collectPragmas, type Pragmas } from '../pragmas.js';
import type { Finding } from '../types.js';
import { stackRule } from './catalog.js';
import type { ComposeReader } from './compose.js';
import { loadStack } from './model.js';
import { haproxyRules } from './rules-haproxy.js';
import { nginxRules } from './rules-nginx.js';
import { envsubstRules, processRules } from './rules-process.js';
import { serviceRules } from './rules-services.js';
import { tlsRules } from './rules-tls.js';
import type { Stack, StackFinding, StackOptions } from './types.js';

export { STACK_RULES, stackRule } from './catalog.js';
export { defaultComposeFiles } from './model.js';

const PRAGMA = /#\s*(?:hadolint|shipkit)\s+(global\s+)?ignore\s*=\s*([A-Z0-9]+(?:\s*,\s*[A-Z0-9]+)*)/;

/**
 * Ignore pragmas in `#` comments (compose YAML, nginx, HAProxy, shell): `# hadolint ignore=SK2001`
 * (or `# shipkit ignore=…`) on its own line covers the next line, at the end of a line covers that
 * line; `# hadolint global ignore=…` covers the file.
 */
export function commentPragmas(text: string): Pragmas {
  const p: Pragmas = { inline: new Map(), global: new Set(), stage: [], inlineLines: [] };
  text.split('\n').forEach((raw, k) => {
    const m = PRAGMA.exec(raw);
    if (!m) return;
    const codes = m[2].split(',').map((c) => c.trim());
    if (m[1]) return codes.forEach((c) => p.global.add(c));
    const line = /^\s*#/.test(raw) ? k + 2 : k + 1;
    const set = p.inline.get(line) ?? new Set<string>();
    codes.forEach((c) => set.add(c));
    p.inline.set(line, set);
  });
  return p;
}

function pragmasOf(stack: Stack, file: string): Pragmas | undefined {
  const t = stack.texts.get(file);
  if (!t) return undefined;
  if (t.kind !== 'dockerfile') return commentPragmas(t.text);
  const parsed = parseDockerfile(t.text);
  return parsed.ok ? collectPragmas(parsed.instructions) : undefined;
}

/** The findings of a stack check, grouped by file, with each file's pragmas (not yet applied). */
export interface StackResult {
  files: { file: string; findings: Finding[]; pragmas?: Pragmas }[];
  stack: Stack;
}

/**
 * Checks a compose project as a whole: reads `composeFiles` (relative to `root`) and what they
 * reference, runs every SK rule. Never throws on bad files (they become SK0001/SK0002 findings).
 */
export function lintStack(
  root: string,
  composeFiles: string[],
  options: StackOptions,
  env: Record<string, string | undefined>,
  reader?: ComposeReader,
): StackResult {
  const { stack, findings } = loadStack(resolve(root), composeFiles, options, env, process.cwd(), reader);
  const all: StackFinding[] = [
    ...findings,
    ...nginxRules(stack),
    ...haproxyRules(stack),
    ...serviceRules(stack),
    ...processRules(stack),
    ...envsubstRules(stack),
    ...tlsRules(stack),
  ];
  const byFile = new Map<string, Finding[]>();
  for (const f of all) {
    const list = byFile.get(f.file) ?? [];
    list.push({
      code: f.code,
      severity: f.severity ?? stackRule(f.code).severity,
      message: f.message,
      line: f.line,
      column: 1,
    });
    byFile.set(f.file, list);
  }
  const files = [...byFile].map(([file, list]) => ({
    file,
    findings: list,
    pragmas: pragmasOf(stack, file),
  }));
  return { files, stack };
}
