import { UserError } from '../core/errors.js';
import type { InputReader } from '../core/inputs.js';
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

export const COMMANDS = ['up', 'ps', 'logs', 'down', 'gc'] as const;
/** Where the stack runs: this Docker host (compose) or a Docker Swarm through a manager (`docker stack`). */
export const ENGINES = ['compose', 'swarm'] as const;
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

function scaleMap(reader: InputReader): Record<string, number> {
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
export function getInputs(reader: InputReader, env: Env = processEnv()): StackInputs {
  const ctx = runContext(env);
  const prefix = reader.string(Inputs.prefix, 'shipkit').toLowerCase();
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
    command: reader.choice(Inputs.command, COMMANDS, 'up'),
    files: reader.list(Inputs.composeFile),
    directory: reader.string(Inputs.workingDirectory, '.'),
    project,
    projectGiven: given !== undefined,
    prefix,
    images: parseImages(reader.optional(Inputs.images)),
    scale: scaleMap(reader),
    profiles: reader.list(Inputs.profiles),
    envFiles: reader.list(Inputs.envFile),
    build: reader.bool(Inputs.build, false),
    timeoutMs: reader.duration(Inputs.timeout, 300_000, { positive: true }),
    readyUrl: reader.optional(Inputs.readyUrl),
    logLines: reader.int(Inputs.logLines, 50, { min: 0, max: 10_000 }),
    logsDir: reader.string(Inputs.logsDir, `.shipkit/stack-logs/${project}`),
    logsMaxSize: reader.size(Inputs.logsMaxSize) ?? 10_000_000,
    removeImages: reader.bool(Inputs.removeImages, false),
    olderThanMs: reader.duration(Inputs.olderThan, 2 * 3_600_000),
    owner: reader.string(Inputs.owner, ctx.repository || 'local'),
    engine: reader.choice(Inputs.engine, ENGINES, 'compose'),
    ctx,
  };
}
