import { parseDockerfile, type ParseError } from './parse.js';
import { applyPragmas, collectPragmas, type Pragmas } from './pragmas.js';
import { runAllRules } from './rules/index.js';
import { shellJobs, type ShellJob } from './shellcheck.js';
import type { LintConfig } from './config.js';
import type { Finding, RuleOptions, Severity } from './types.js';

/** A Dockerfile analysed up to (not including) ShellCheck. */
export interface Analysis {
  parseError?: ParseError;
  findings: Finding[];
  jobs: ShellJob[];
  pragmas?: Pragmas;
}

export function ruleOptions(config: LintConfig): RuleOptions {
  return {
    trustedRegistries: config.trustedRegistries,
    labelSchema: config.labelSchema,
    strictLabels: config.strictLabels,
  };
}

/** Parses and runs every DL rule; collects the ShellCheck jobs for the caller to run in one batch. */
export function analyse(text: string, options: RuleOptions): Analysis {
  const parsed = parseDockerfile(text);
  if (!parsed.ok) return { parseError: parsed.error, findings: [], jobs: [] };
  const pragmas = collectPragmas(parsed.instructions);
  const findings = runAllRules(parsed.instructions, options);
  for (const line of pragmas.inlineLines) {
    findings.push({
      code: 'DL1001',
      severity: 'ignore',
      message: 'Please refrain from using inline ignore pragmas  `# hadolint ignore=DLxxxx`.',
      line,
      column: 1,
    });
  }
  return { findings, jobs: shellJobs(parsed.instructions), pragmas };
}

/** Pragmas, severity overrides (style, info, warning, error: error wins), ignored codes, sort. */
export function finish(findings: Finding[], pragmas: Pragmas | undefined, config: LintConfig): Finding[] {
  let out = pragmas && !config.disableIgnorePragma ? applyPragmas(findings, pragmas) : findings;
  out = out.map((f) => {
    let severity: Severity = f.severity;
    for (const s of ['style', 'info', 'warning', 'error'] as const)
      if (config.override[s].includes(f.code)) severity = s;
    return severity === f.severity ? f : { ...f, severity };
  });
  out = out.filter((f) => !config.ignored.includes(f.code) && f.severity !== 'ignore');
  return out.sort((a, b) => a.line - b.line);
}

/** A parse error as the DL1000 finding the formats print. */
export function parseErrorFinding(e: ParseError): Finding {
  return { code: 'DL1000', severity: 'error', message: e.message, line: e.line, column: e.column };
}

/** Lints one Dockerfile's text without ShellCheck (pure; for tests and the no-shellcheck path). */
export function lintText(text: string, config: LintConfig): Finding[] {
  const a = analyse(text, ruleOptions(config));
  if (a.parseError) return [parseErrorFinding(a.parseError)];
  return finish(a.findings, a.pragmas, config);
}
