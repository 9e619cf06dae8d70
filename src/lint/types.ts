/** Severities from most to least severe, as hadolint orders them. */
export const SEVERITIES = ['error', 'warning', 'info', 'style', 'ignore'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One finding: a DL or SC code at a line of a file. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
}

/** A finding with its file, as the formats print it. */
export interface FileFinding extends Finding {
  file: string;
}

/** `severity` a is at least as severe as b. */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

/** Types a label-schema entry can take. */
export const LABEL_TYPES = ['text', 'url', 'semver', 'hash', 'rfc3339', 'spdx', 'email'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

/** What the rules need from the configuration. */
export interface RuleOptions {
  trustedRegistries: string[];
  labelSchema: Record<string, LabelType>;
  strictLabels: boolean;
}

/** The findings of one file; `parseError` marks a DL1000 file. */
export interface FileResult {
  file: string;
  findings: Finding[];
  parseError?: boolean;
}
