import { UserError } from '../core/errors.js';
import type { InputReader } from '../core/inputs.js';
import { stepReader } from '../core/interface.js';
import { processEnv, type Env } from '../platform/context.js';
import { lintInterface } from '../generated/lint.js';
import { parseFormat, parseLabels, parseSeverity, type PartialConfig } from './config.js';
import { getStackInputs, StackInputs, type StackLintInputs } from './stack/run.js';

type Name = keyof typeof lintInterface.inputs;

export const Inputs = {
  dockerfile: 'dockerfile',
  config: 'config',
  format: 'format',
  outputFile: 'output-file',
  noFail: 'no-fail',
  noColor: 'no-color',
  verbose: 'verbose',
  failureThreshold: 'failure-threshold',
  error: 'error',
  warning: 'warning',
  info: 'info',
  style: 'style',
  ignore: 'ignore',
  trustedRegistry: 'trusted-registry',
  // hadolint/hadolint-action's names, so a workflow switches by changing only `uses:`.
  recursive: 'recursive',
  overrideError: 'override-error',
  overrideWarning: 'override-warning',
  overrideInfo: 'override-info',
  overrideStyle: 'override-style',
  trustedRegistries: 'trusted-registries',
  requireLabel: 'require-label',
  strictLabels: 'strict-labels',
  disableIgnorePragma: 'disable-ignore-pragma',
  filePathInReport: 'file-path-in-report',
  shellcheck: 'shellcheck',
  maxFileSize: 'max-file-size',
  codequalityReport: 'codequality-report',
  ...StackInputs,
} as const;

export const Outputs = {
  errors: 'errors',
  warnings: 'warnings',
  infos: 'infos',
  styles: 'styles',
  total: 'total',
  files: 'files',
  reports: 'reports',
  results: 'results',
} as const;

export interface LintInputs {
  paths: string[];
  /** hadolint-action's `recursive`: each path is a file-name pattern searched as `**\/<pattern>`. */
  recursive: boolean;
  configFile?: string;
  /** What the command line / action inputs say; merged after env and config file. */
  cli: PartialConfig;
  outputFiles: string[];
  filePathInReport?: string;
  shellcheck: boolean;
  /** Bytes; a bigger file is refused with exit 2 before anything is linted. */
  maxFileSize: number;
  codequalityReport: string;
  /**
   * The environment hadolint reads (`HADOLINT_*`, `NO_COLOR`, and `XDG_CONFIG_HOME`/`HOME` to find the
   * config file), taken here so the step below reads no environment of its own.
   */
  env: Env;
  /** The stack rules (SK): `stack`, `compose-file`, `cert-expiry-days`. */
  stack: StackLintInputs;
}

/** Reads every input; defaults come from actions/lint/action.yml (the generated interface). */
export function getInputs(reader: InputReader, env: Env = processEnv()): LintInputs {
  const r = stepReader(reader, lintInterface);
  const I = Inputs;
  const field = (name: Name) => ({ field: `input "${name}"` });
  const sw = (name: Name) => (r.optional(name) === undefined ? undefined : r.bool(name));
  const threshold = r.optional(I.failureThreshold);
  const cli: PartialConfig = {
    formats: r.list(I.format).map((f) => parseFormat(f, field(I.format))),
    failureThreshold:
      threshold === undefined ? undefined : parseSeverity(threshold, field(I.failureThreshold)),
    override: {
      error: [...r.list(I.error), ...r.list(I.overrideError)],
      warning: [...r.list(I.warning), ...r.list(I.overrideWarning)],
      info: [...r.list(I.info), ...r.list(I.overrideInfo)],
      style: [...r.list(I.style), ...r.list(I.overrideStyle)],
    },
    ignored: r.list(I.ignore),
    trustedRegistries: [...r.list(I.trustedRegistry), ...r.list(I.trustedRegistries)],
    labelSchema: parseLabels(r.list(I.requireLabel), field(I.requireLabel)),
    noFail: sw(I.noFail),
    noColor: sw(I.noColor),
    verbose: sw(I.verbose),
    strictLabels: sw(I.strictLabels),
    disableIgnorePragma: sw(I.disableIgnorePragma),
  };
  for (const k of Object.keys(cli) as (keyof PartialConfig)[]) if (cli[k] === undefined) delete cli[k];
  const maxFileSize = r.sizeValue(I.maxFileSize);
  if (maxFileSize <= 0) throw new UserError('expected a size above 0, such as 1MiB', field(I.maxFileSize));
  return {
    paths: r.lines(I.dockerfile),
    recursive: r.bool(I.recursive),
    configFile: r.optional(I.config),
    cli,
    outputFiles: r.lines(I.outputFile),
    filePathInReport: r.optional(I.filePathInReport),
    shellcheck: r.bool(I.shellcheck),
    maxFileSize,
    codequalityReport: r.string(I.codequalityReport),
    env,
    stack: getStackInputs(reader),
  };
}
