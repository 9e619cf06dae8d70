import { UserError } from '../core/errors.js';
import { LABEL_TYPES, SEVERITIES, type LabelType, type Severity } from './types.js';

// The configuration's values and their parsers, apart from config.ts so that config-file.ts (which
// config.ts re-exports) can use them without an import circle.

export const FORMATS = [
  'tty', 'json', 'checkstyle', 'codeclimate', 'gitlab_codeclimate', 'gnu', 'codacy', 'sonarqube', 'sarif', 'junit',
] as const; // prettier-ignore
export type Format = (typeof FORMATS)[number];

/** hadolint's configuration, merged from environment, config file and command line. */
export interface LintConfig {
  failureThreshold: Severity;
  formats: Format[];
  ignored: string[];
  trustedRegistries: string[];
  override: Record<'error' | 'warning' | 'info' | 'style', string[]>;
  labelSchema: Record<string, LabelType>;
  strictLabels: boolean;
  noFail: boolean;
  noColor: boolean;
  verbose: boolean;
  disableIgnorePragma: boolean;
}

/** One source's contribution: scalars may be absent; lists are concatenated. */
export type PartialConfig = Partial<Omit<LintConfig, 'override'>> & {
  override?: Partial<LintConfig['override']>;
};

export const DEFAULT_CONFIG: LintConfig = {
  failureThreshold: 'info',
  formats: [],
  ignored: [],
  trustedRegistries: [],
  override: { error: [], warning: [], info: [], style: [] },
  labelSchema: {},
  strictLabels: false,
  noFail: false,
  noColor: false,
  verbose: false,
  disableIgnorePragma: false,
};

export interface Where {
  file?: string;
  line?: number;
  field?: string;
}

/** A threshold name (`none` = `ignore`); throws a UserError naming where it came from. */
export function parseSeverity(value: string, where: Where): Severity {
  const v = value.trim().toLowerCase();
  if (v === 'none') return 'ignore';
  if ((SEVERITIES as readonly string[]).includes(v)) return v as Severity;
  throw new UserError(
    `unknown severity "${value}" (expected one of: error, warning, info, style, ignore, none)`,
    where,
  );
}

export function parseFormat(value: string, where: Where): Format {
  const v = value.trim();
  if ((FORMATS as readonly string[]).includes(v)) return v as Format;
  throw new UserError(`unknown format "${value}" (expected one of: ${FORMATS.join(', ')})`, where);
}

/** `name:type` pairs of `--require-label` / HADOLINT_REQUIRE_LABELS. */
export function parseLabels(items: string[], where: Where): Record<string, LabelType> {
  const out: Record<string, LabelType> = {};
  for (const item of items) {
    const i = item.lastIndexOf(':');
    const name = i < 0 ? item : item.slice(0, i);
    const type = (i < 0 ? 'text' : item.slice(i + 1)) || 'text';
    if (!(LABEL_TYPES as readonly string[]).includes(type)) {
      throw new UserError(
        `unknown label type "${type}" for "${name}" (expected one of: ${LABEL_TYPES.join(', ')})`,
        where,
      );
    }
    out[name] = type as LabelType;
  }
  return out;
}
