import { DEFAULT_CONFIG, mergeConfig, type PartialConfig } from '../../src/lint/config.js';
import { lintText } from '../../src/lint/lint.js';

/** [rule, case name, Dockerfile, lines where `rule` must fire (exactly), optional config]. */
export type Case = [string, string, string, number[], PartialConfig?];

/** Lines at which `code` fires for the Dockerfile (DL rules only, no ShellCheck). */
export function linesOf(code: string, dockerfile: string, extra: PartialConfig = {}): number[] {
  const config = mergeConfig(DEFAULT_CONFIG, extra);
  return lintText(dockerfile, config)
    .filter((f) => f.code === code)
    .map((f) => f.line);
}
