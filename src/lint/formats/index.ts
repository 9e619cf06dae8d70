import { crypto } from '../../core/builtins.js';
import type { Format } from '../config.js';
import type { FileResult, Finding } from '../types.js';
import { sarif } from './sarif.js';

export type { FileResult } from '../types.js';

export interface FormatOptions {
  noColor: boolean;
  /** `--file-path-in-report`: replaces the path in checkstyle, codeclimate, gitlab_codeclimate, sonarqube, junit. */
  filePathInReport?: string;
  version: string;
  /** SARIF paths are made relative to this directory (default: the process's). */
  cwd?: string;
}

const COLOURS: Record<string, string> = { error: '1;31', warning: '1;33', info: '32', style: '36' };

/** Renders all results in one hadolint format (no trailing newline handling beyond hadolint's). */
export function render(format: Format, results: FileResult[], o: FormatOptions): string {
  const path = (f: string) => o.filePathInReport ?? f;
  switch (format) {
    case 'tty':
      return results
        .flatMap((r) => r.findings.map((f) => tty(r, f, o.noColor)))
        .map((l) => l + '\n')
        .join('');
    case 'gnu':
      return results
        .flatMap((r) =>
          r.findings.map(
            (f) =>
              `hadolint:${escapeControls(r.file)}:${f.line}: ${f.code} ${f.severity}: ${oneLine(f.message)}\n`,
          ),
        )
        .join('');
    case 'json':
      return JSON.stringify(results.flatMap((r) => r.findings.map((f) => sorted({ code: f.code, column: f.column, file: r.file, level: f.severity, line: f.line, message: f.message })))) + '\n'; // prettier-ignore
    case 'codacy':
      return results.flatMap((r) => r.findings.map((f) => JSON.stringify({ filename: r.file, patternId: f.code, message: f.message, line: f.line }))).join(''); // prettier-ignore
    case 'codeclimate':
      return results.flatMap((r) => r.findings.map((f) => JSON.stringify(climate(path(r.file), f, !!r.parseError)) + '\0')).join(''); // prettier-ignore
    case 'gitlab_codeclimate':
      return JSON.stringify(results.flatMap((r) => r.findings.map((f) => withFingerprint(climate(path(r.file), f, !!r.parseError))))) + '\n'; // prettier-ignore
    case 'checkstyle':
      return checkstyle(results, path);
    case 'junit':
      return junit(results, path);
    case 'sonarqube':
      return (
        JSON.stringify({ issues: results.flatMap((r) => r.findings.map((f) => sonar(path(r.file), f))) }) +
        '\n'
      );
    case 'sarif':
      return JSON.stringify(sarif(results, o.version, o.cwd), null, 2) + '\n';
  }
}

function tty(r: FileResult, f: Finding, noColor: boolean): string {
  const file = linePath(r.file);
  const message = oneLine(f.message);
  if (r.parseError) return `${file}:${f.line}:${f.column} ${message}`;
  const sev = noColor ? f.severity : `\x1b[${COLOURS[f.severity] ?? '0'}m${f.severity}\x1b[0m`;
  return `${file}:${f.line} ${f.code} ${sev}: ${message}`;
}

/** Control characters shown as `\xNN`, so a name with a newline stays on its line. */
const escapeControls = (s: string): string =>
  s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** A message on one line: newlines become spaces (as hadolint does for parse errors), other controls escaped. */
const oneLine = (s: string): string => escapeControls(s.replace(/\r?\n/g, ' '));

/**
 * A file name at the start of a log line: one line, and never a workflow command. GitHub reads a
 * line that starts with `::` (after spaces) as one, so `::warning title=X::a.Dockerfile` is printed
 * as `./::warning title=X::a.Dockerfile`, still the same file for readers and problem matchers.
 */
export function linePath(file: string): string {
  const one = escapeControls(file);
  return /^\s*::/.test(one) ? `./${one}` : one;
}

/** Compact JSON with keys sorted at every level, as Aeson's encoding with sorted keys gives. */
function sorted<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sorted) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    ) as T;
  }
  return value;
}

const CLIMATE_SEVERITY: Record<string, string> = {
  error: 'blocker',
  warning: 'major',
  info: 'info',
  style: 'minor',
};

function climate(path: string, f: Finding, parseError: boolean): Record<string, unknown> {
  const location = parseError
    ? {
        path,
        positions: { begin: { column: f.column, line: f.line }, end: { column: f.column, line: f.line } },
      }
    : { lines: { begin: f.line, end: f.line }, path };
  return sorted({
    categories: ['Bug Risk'],
    check_name: f.code,
    description: f.message,
    location,
    severity: CLIMATE_SEVERITY[f.severity] ?? 'info',
    type: 'issue',
  });
}

function withFingerprint(issue: Record<string, unknown>): Record<string, unknown> {
  const fingerprint = crypto().createHash('sha1').update(JSON.stringify(issue)).digest('hex');
  return sorted({ ...issue, fingerprint });
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // a newline in a name or message stays inside its attribute or element, not a new log line
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');

function checkstyle(results: FileResult[], path: (f: string) => string): string {
  const files = results.map((r) => {
    const errors = r.findings.map(
      (f) =>
        `<error column="${f.column}" line="${f.line}" message="${xml(f.message)}" severity="${f.severity}" source="${f.code}"/>`,
    );
    return errors.length
      ? `<file name="${xml(path(r.file))}">${errors.join('')}</file>`
      : `<file name="${xml(path(r.file))}"/>`;
  });
  return `<?xml version='1.0' encoding='UTF-8'?><checkstyle version="4.3">${files.join('')}</checkstyle>\n`;
}

function junit(results: FileResult[], path: (f: string) => string): string {
  const suites = results.map((r) => {
    const errors = r.findings.filter((f) => f.severity === 'error').length;
    const cases = r.findings.map(
      (f) =>
        `<testcase name="${xml(`${f.code}: ${path(r.file)}:${f.line}`)}" classname="${xml(path(r.file))}" id="hadolint.rule.${f.code}">` +
        `<failure type="${f.severity}" message="${xml(f.message)}" id="${f.code}">${xml(`${path(r.file)}:${f.line} ${f.code} ${f.severity}: ${f.message}`)}</failure></testcase>`,
    );
    return `<testsuite name="${xml(path(r.file))}" tests="${r.findings.length}" failures="${r.findings.length}" errors="${errors}">${cases.join('')}</testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hadolint">${suites.join('')}</testsuites>\n`;
}

function sonar(path: string, f: Finding): Record<string, unknown> {
  const sev = { error: 'CRITICAL', warning: 'MAJOR', info: 'MINOR', style: 'INFO', ignore: 'INFO' }[
    f.severity
  ];
  return {
    engineId: 'Hadolint',
    ruleId: f.code,
    severity: sev,
    type: f.severity === 'error' ? 'BUG' : 'CODE_SMELL',
    primaryLocation: {
      message: f.message,
      filePath: path,
      textRange: { startLine: f.line, endLine: f.line, startColumn: 0, endColumn: 1 },
    },
  };
}
