import { UserError } from '../core/errors.js';
import type { InputReader } from '../core/inputs.js';
import { stepReader, type StepReader } from '../core/interface.js';
import { stackInterface } from '../generated/stack.js';
import { processEnv, runContext, type Env, type RunContext } from '../platform/context.js';
import { parseImages } from './images.js';
import { projectName, PROJECT_NAME } from './project.js';

/** Input names, exactly as in actions/stack/action.yml. */
export const Inputs = {
  command: 'command',
  composeFile: 'compose-file',
  workingDirectory: 'working-directory',
  project: 'project',
  prefix: 'prefix',
  images: 'images',
  scale: 'scale',
  profiles: 'profiles',
  envFile: 'env-file',
  build: 'build',
  timeout: 'timeout',
  readyUrl: 'ready-url',
  logLines: 'log-lines',
  logsDir: 'logs-dir',
  logsMaxSize: 'logs-max-size',
  removeImages: 'remove-images',
  olderThan: 'older-than',
  owner: 'owner',
  engine: 'engine',
} as const;

/** Output names, exactly as in actions/stack/action.yml. */
export const Outputs = {
  project: 'project',
  logsDir: 'logs-dir',
  overrideFile: 'override-file',
  services: 'services',
  removed: 'removed',
} as const;

/** The `command` input's values, from actions/stack/action.yml. */
export const COMMANDS = stackInterface.inputs.command.options;
/** Where the stack runs: this Docker host (compose) or a Docker Swarm through a manager (`docker stack`). */
export const ENGINES = stackInterface.inputs.engine.options;
export type Engine = (typeof ENGINES)[number];
export type Command = (typeof COMMANDS)[number];

export interface StackInputs {
  command: Command;
  /** Compose files as given (relative to `directory`); empty = compose's default file. */
  files: string[];
  directory: string;
  project: string;
  /** True when the name was given, not derived from the run. */
  projectGiven: boolean;
  prefix: string;
  images: Record<string, string>;
  scale: Record<string, number>;
  profiles: string[];
  envFiles: string[];
  build: boolean;
  timeoutMs: number;
  readyUrl?: string;
  logLines: number;
  logsDir: string;
  logsMaxSize: number;
  removeImages: boolean;
  olderThanMs: number;
  owner: string;
  engine: Engine;
  ctx: RunContext;
}

function scaleMap(reader: StepReader<typeof stackInterface>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [service, value] of Object.entries(reader.map(Inputs.scale))) {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > 100) {
      throw new UserError(`expected service=N with N from 0 to 100, got "${service}=${value}"`, {
        field: `input "${Inputs.scale}"`,
      });
    }
    out[service] = n;
  }
  return out;
}

/** Reads and validates every input once; `env` is the run's environment (tests pass their own). */
export function getInputs(input: InputReader, env: Env = processEnv()): StackInputs {
  const reader = stepReader(input, stackInterface);
  const ctx = runContext(env);
  const prefix = reader.string(Inputs.prefix).toLowerCase();
  if (!PROJECT_NAME.test(prefix) || prefix.length > 30) {
    throw new UserError(`expected lower-case letters, digits, - or _ (max 30), got "${prefix}"`, {
      field: `input "${Inputs.prefix}"`,
    });
  }
  const given = reader.optional(Inputs.project);
  if (given !== undefined && !PROJECT_NAME.test(given)) {
    throw new UserError(`not a valid compose project name (lower-case [a-z0-9][a-z0-9_-]*): "${given}"`, {
      field: `input "${Inputs.project}"`,
    });
  }
  const project = given ?? projectName(ctx, prefix);
  return {
    command: reader.choice(Inputs.command),
    files: reader.list(Inputs.composeFile),
    directory: reader.string(Inputs.workingDirectory),
    project,
    projectGiven: given !== undefined,
    prefix,
    images: parseImages(reader.optional(Inputs.images)),
    scale: scaleMap(reader),
    profiles: reader.list(Inputs.profiles),
    envFiles: reader.list(Inputs.envFile),
    build: reader.bool(Inputs.build),
    timeoutMs: reader.duration(Inputs.timeout, { positive: true }),
    readyUrl: reader.optional(Inputs.readyUrl),
    logLines: reader.int(Inputs.logLines, { min: 0, max: 10_000 }),
    logsDir: reader.string(Inputs.logsDir, `.shipkit/stack-logs/${project}`),
    logsMaxSize: reader.sizeValue(Inputs.logsMaxSize),
    removeImages: reader.bool(Inputs.removeImages),
    olderThanMs: reader.duration(Inputs.olderThan),
    owner: reader.string(Inputs.owner, ctx.repository || 'local'),
    engine: reader.choice(Inputs.engine),
    ctx,
  };
}
