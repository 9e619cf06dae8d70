/** Types of scripts/gen-rule-docs.mjs for the test that checks the rule pages are up to date. */
import type { Page } from './gen-docs.d.mts';
export interface RuleEntry {
  code: string;
  severity: string;
  title: string;
  why: string;
}
export function renderRulePage(rule: RuleEntry): string;
export function renderRuleIndex(rules: readonly RuleEntry[]): string;
export function expectedRulePages(rules: readonly RuleEntry[]): Page[];
export function loadRules(): Promise<RuleEntry[]>;
export const FIXTURES: string;
export const RULE_DOCS: string;
