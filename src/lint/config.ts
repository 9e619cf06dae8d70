import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../platform/context.js';
import {
  DEFAULT_CONFIG, parseFormat, parseLabels, parseSeverity, type LintConfig, type PartialConfig, type Where,
} from './config-values.js'; // prettier-ignore

export * from './config-values.js';

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
