import { lintInterface } from '../generated/lint.js';
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { defineStep } from '../core/step.js';
import { StepFailure, UserError } from '../core/errors.js';
import { getInputs, Inputs, Outputs, type LintInputs } from './inputs.js';
import type { Env } from '../platform/context.js';
import { safeMd, mdTable } from '../platform/markdown.js';
import type { Platform } from '../platform/types.js';
import {
  configFromEnv, findConfigFile, loadConfigFile, mergeConfig,
  type ConfigWarning, type Format, type LintConfig,
} from './config.js'; // prettier-ignore
import { discover, globRecursive } from './discover.js';
import { render, type FileResult } from './formats/index.js';
import { lintFiles, readDockerfile } from './run.js';
import { atLeast } from './types.js';
import { addStackFindings, stackProjects } from './stack/run.js';

export const VERSION = '2.15.1-shipkit';

export { getInputs, Inputs, Outputs, type LintInputs };

/**
 * Paths given, directories expanded by discovery; nothing given ⇒ discover under the cwd. With
 * `recursive` (hadolint-action's meaning) each value is a file-name pattern matched in every folder,
 * `Dockerfile` when none is given; a pattern that matches nothing is a UserError.
 */
export function resolvePaths(paths: string[], cwd = process.cwd(), recursive = false): string[] {
  if (recursive) {
    return (paths.length ? paths : ['Dockerfile']).flatMap((pattern) => {
      const found = globRecursive(pattern, cwd);
      if (found.length === 0)
        throw new UserError(`no file matches **/${pattern} under ${cwd}`, {
          field: `input "${Inputs.dockerfile}"`,
        });
      return found;
    });
  }
  if (paths.length === 0) return discover('.', cwd);
  return paths.flatMap((p) => {
    if (p === '-') return [p];
    try {
      if (statSync(p).isDirectory()) return discover(p, cwd);
    } catch {
      // reported by readDockerfile, which names the file
    }
    return [p];
  });
}

/** env ⊕ config file ⊕ command line, as hadolint merges them; `warnings` name what the file holds in vain. */
export function buildConfig(
  inputs: LintInputs,
  env: Env,
  cwd = process.cwd(),
): LintConfig & { file?: string; warnings: ConfigWarning[] } {
  const file = inputs.configFile ?? findConfigFile(cwd, env);
  const warnings: ConfigWarning[] = [];
  const fromFile = file ? loadConfigFile(file, warnings) : {};
  return { ...mergeConfig(configFromEnv(env), fromFile, inputs.cli), file, warnings };
}

async function main(inputs: LintInputs, platform: Platform): Promise<void> {
  const config = buildConfig(inputs, inputs.env);
  for (const w of config.warnings) platform.warning(w.message, { file: w.file, line: w.line });
  const paths = resolvePaths(inputs.paths, process.cwd(), inputs.recursive);
  const projects = inputs.recursive ? [] : stackProjects(inputs.stack, inputs.paths);
  if (config.verbose) {
    platform.info(
      `config: ${config.file ?? '(none found)'}; linting ${paths.length} file(s): ${paths.join(', ')}`,
    );
  }
  if (paths.length === 0 && projects.length === 0)
    throw new UserError('no Dockerfile found (give a path, or run where Dockerfiles are)');
  const stdin = () => new Promise<string>((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8').on('data', (d: string) => (data += d)).on('end', () => resolve(data)).on('error', reject);
  }); // prettier-ignore
  const files = [];
  for (const path of paths) files.push({ path, text: await readDockerfile(path, stdin, inputs.maxFileSize) });
  const { results } = await lintFiles(files, config, inputs.shellcheck, platform);
  await addStackFindings(results, projects, inputs.stack, config, inputs.maxFileSize, inputs.env, platform);
  const { reports, text } = await writeFormats(results, config, inputs, platform);
  await publish(results, platform, inputs, reports);
  const all = results.flatMap((r) => r.findings);
  const count = (s: string) => all.filter((f) => f.severity === s).length;
  platform.setOutput(Outputs.errors, count('error'));
  platform.setOutput(Outputs.warnings, count('warning'));
  platform.setOutput(Outputs.infos, count('info'));
  platform.setOutput(Outputs.styles, count('style'));
  platform.setOutput(Outputs.total, all.length);
  platform.setOutput(Outputs.files, paths.join('\n'));
  platform.setOutput(Outputs.reports, reports.join('\n'));
  platform.setOutput(Outputs.results, text.replace(/\n$/, ''));
  if (config.noFail || config.formats.some((f) => f === 'codeclimate' || f === 'codacy')) return;
  const failing = all.filter((f) => atLeast(f.severity, config.failureThreshold));
  const parseErrors = results.filter((r) => r.parseError).length;
  if (parseErrors > 0 || failing.length > 0) {
    const parts = [];
    if (parseErrors > 0) parts.push(`${parseErrors} file(s) do not parse`);
    if (failing.length > 0)
      parts.push(`${failing.length} finding(s) at or above "${config.failureThreshold}"`);
    throw new StepFailure(`lint failed: ${parts.join(', ')}`);
  }
}

/**
 * Each format to its `-o` file in order, the rest to stdout (tty when none is asked for). Returns
 * the files written and the whole report without colour (hadolint-action's `results` output).
 */
async function writeFormats(
  results: FileResult[],
  config: LintConfig,
  inputs: LintInputs,
  platform: Platform,
) {
  const formats: Format[] = config.formats.length ? config.formats : ['tty'];
  const reports: string[] = [];
  let plain = '';
  const options = { filePathInReport: inputs.filePathInReport, version: VERSION };
  for (const [k, format] of formats.entries()) {
    const noColor = config.noColor || !process.stdout.isTTY;
    const text = render(format, results, { ...options, noColor });
    plain += noColor || format !== 'tty' ? text : render(format, results, { ...options, noColor: true });
    const out = inputs.outputFiles[k];
    if (out && out !== '-' && out !== '/dev/stdout') {
      await writeFile(out, text);
      reports.push(out);
    } else if (text !== '') platform.info(text.replace(/\n$/, ''));
  }
  return { reports, text: plain };
}

/** GitHub: an annotation per finding and a summary table. GitLab: a Code Quality report. */
async function publish(results: FileResult[], platform: Platform, inputs: LintInputs, reports: string[]) {
  const rows = results.flatMap((r) => r.findings.map((f) => ({ file: r.file, ...f })));
  if (platform.name === 'github' || platform.name === 'memory') {
    for (const f of rows) {
      const a = { file: f.file, line: f.line, col: f.column, title: f.code };
      const msg = `${f.code} ${f.message}`;
      if (f.severity === 'error') platform.error(msg, a);
      else if (f.severity === 'warning') platform.warning(msg, a);
      else platform.notice(msg, a);
    }
    const table = rows.length
      ? mdTable(['File', 'Line', 'Code', 'Severity', 'Message'], rows.map((f) => [f.file, f.line, f.code, f.severity, f.message])) // prettier-ignore
      : safeMd`No findings.`;
    await platform.addSummary(
      safeMd`### shipkit lint: ${results.length} file(s), ${rows.length} finding(s)\n\n${table}\n`,
    );
  }
  if (platform.name === 'gitlab') {
    const content = render('gitlab_codeclimate', results, { noColor: true, filePathInReport: inputs.filePathInReport, version: VERSION }); // prettier-ignore
    reports.push(await platform.writeReport('codequality', inputs.codequalityReport, content));
  }
}

export const step = defineStep({
  name: 'lint',
  summary:
    'Lint Dockerfiles with hadolint-compatible rules, config, pragmas and formats (plus ShellCheck on RUN)',
  inputs: Inputs,
  interface: lintInterface,
  outputs: Outputs,
  getInputs,
  main,
  cli: {
    positional: [Inputs.dockerfile],
    aliases: {
      '-c': Inputs.config,
      '-f': Inputs.format,
      '-o': Inputs.outputFile,
      '-t': Inputs.failureThreshold,
    },
    switches: [
      Inputs.recursive,
      Inputs.noFail,
      Inputs.noColor,
      Inputs.verbose,
      Inputs.strictLabels,
      Inputs.disableIgnorePragma,
    ],
    usage: '[-c FILE] [-f FORMAT]… [-o FILE]… [--no-fail] [-t SEVERITY] [--ignore CODE]… [DOCKERFILE|DIR]…',
  },
});
