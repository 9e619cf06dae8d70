import type { Instruction } from '../parse.js';
import type { Finding, RuleOptions } from '../types.js';
import { archiveRule } from './archives.js';
import { finding, type Pass, type RuleDef } from './common.js';
import { instructionRules } from './instructions.js';
import { healthcheckRule, LABEL_SEVERITY, labelFindings } from './labels.js';
import { packageRules } from './packages.js';
import { rpmRules } from './rpm.js';
import { runRules } from './run.js';
import { stageRules } from './stages.js';

/** Every DL rule with a fixed message (label rules substitute the label name). */
export const RULES: readonly RuleDef[] = [
  ...instructionRules,
  ...stageRules,
  ...runRules,
  ...packageRules,
  ...rpmRules,
  archiveRule,
  healthcheckRule,
];

/** ARG defaults declared before the first FROM. */
export function globalArgs(instructions: Instruction[]): Map<string, string | undefined> {
  const args = new Map<string, string | undefined>();
  for (const i of instructions) {
    if (i.keyword === 'FROM') break;
    if (i.keyword !== 'ARG') continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(i.rest.trim());
    if (m) args.set(m[1], m[2] === undefined ? undefined : m[2].replace(/^(["'])(.*)\1$/s, '$2'));
  }
  return args;
}

/** Runs every DL rule over the instructions (and the ONBUILD-aware ones over ONBUILD contents). */
export function runAllRules(instructions: Instruction[], options: RuleOptions): Finding[] {
  const normal: Pass = { instructions, options, onbuild: false, globalArgs: globalArgs(instructions) };
  const inner = instructions
    .filter((i) => i.keyword === 'ONBUILD' && i.inner)
    .map((i) => ({ ...(i.inner as Instruction), line: i.line }));
  const onbuild: Pass = { ...normal, instructions: inner, onbuild: true };
  const out: Finding[] = [];
  for (const rule of RULES) {
    for (const line of rule.check(normal)) out.push(finding(rule, line));
    if (rule.onbuild && inner.length > 0)
      for (const line of rule.check(onbuild)) out.push(finding(rule, line));
  }
  for (const f of labelFindings(normal)) {
    out.push({ code: f.code, severity: LABEL_SEVERITY[f.code], message: f.message, line: f.line, column: 1 });
  }
  return out;
}
