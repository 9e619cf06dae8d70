import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Env } from '../platform/context.js';
import { LABEL_TYPES, SEVERITIES, type LabelType, type Severity } from './types.js';

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

const TRUTHY = /^(1|y|on|true|yes)$/i;
const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The HADOLINT_* variables (and NO_COLOR). */
export function configFromEnv(env: Env): PartialConfig {
  const where = (field: string): Where => ({ file: 'environment', field });
  const out: PartialConfig = {};
  const bool = (name: string) => (env[name] === undefined ? undefined : TRUTHY.test(env[name] ?? ''));
  out.noFail = bool('HADOLINT_NOFAIL');
  out.verbose = bool('HADOLINT_VERBOSE');
  out.strictLabels = bool('HADOLINT_STRICT_LABELS');
  out.disableIgnorePragma = bool('HADOLINT_DISABLE_IGNORE_PRAGMA');
  if (env.NO_COLOR !== undefined) out.noColor = true;
  if (env.HADOLINT_FORMAT)
    out.formats = list(env.HADOLINT_FORMAT).map((f) => parseFormat(f, where('HADOLINT_FORMAT')));
  if (env.HADOLINT_FAILURE_THRESHOLD) {
    out.failureThreshold = parseSeverity(env.HADOLINT_FAILURE_THRESHOLD, where('HADOLINT_FAILURE_THRESHOLD'));
  }
  out.override = {
    error: list(env.HADOLINT_OVERRIDE_ERROR),
    warning: list(env.HADOLINT_OVERRIDE_WARNING),
    info: list(env.HADOLINT_OVERRIDE_INFO),
    style: list(env.HADOLINT_OVERRIDE_STYLE),
  };
  out.ignored = list(env.HADOLINT_IGNORE);
  out.trustedRegistries = list(env.HADOLINT_TRUSTED_REGISTRIES);
  out.labelSchema = parseLabels(list(env.HADOLINT_REQUIRE_LABELS), where('HADOLINT_REQUIRE_LABELS'));
  for (const k of Object.keys(out) as (keyof PartialConfig)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** The config file hadolint would pick: `./.hadolint.y[a]ml`, XDG, app-data dir, then home. */
export function findConfigFile(cwd: string, env: Env): string | undefined {
  const home = env.HOME ?? homedir();
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  const candidates = [
    join(cwd, '.hadolint.yaml'), join(cwd, '.hadolint.yml'),
    join(xdg, 'hadolint.yaml'), join(xdg, 'hadolint.yml'),
    join(home, '.hadolint', 'hadolint.yaml'), join(home, '.hadolint', 'hadolint.yml'),
    join(home, '.hadolint', 'config.yaml'), join(home, '.hadolint', 'config.yml'),
    join(home, '.hadolint.yaml'), join(home, '.hadolint.yml'),
  ]; // prettier-ignore
  return candidates.find((c) => existsSync(c));
}

export { loadConfigFile, parseConfigText, type ConfigWarning } from './config-file.js';

/** Merges sources in order (env, file, CLI): later scalars win, lists concatenate. */
export function mergeConfig(...sources: PartialConfig[]): LintConfig {
  const c: LintConfig = structuredClone(DEFAULT_CONFIG);
  for (const s of sources) {
    if (s.failureThreshold !== undefined) c.failureThreshold = s.failureThreshold;
    for (const k of ['strictLabels', 'noFail', 'noColor', 'verbose', 'disableIgnorePragma'] as const) {
      if (s[k] !== undefined) c[k] = s[k];
    }
    c.formats.push(...(s.formats ?? []));
    c.ignored.push(...(s.ignored ?? []));
    c.trustedRegistries.push(...(s.trustedRegistries ?? []));
    for (const k of ['error', 'warning', 'info', 'style'] as const)
      c.override[k].push(...(s.override?.[k] ?? []));
    Object.assign(c.labelSchema, s.labelSchema ?? {});
  }
  return c;
}
