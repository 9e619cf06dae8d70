import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { exec, type ExecOptions, type ExecResult } from '../core/exec.js';
import { UserError } from '../core/errors.js';
import type { ComposeCommand, ComposeProject } from '../docker/cli.js';
import { findCompose } from './compose.js';
import type { Platform } from '../platform/types.js';
import type { StackInputs } from './inputs.js';
import { saveLogs } from './logs.js';
import { composeCommand, planDown } from './plan.js';
import { projectContainers, projectResources, removeResources } from './resources.js';
import { containerState } from './status.js';
import { loadCompose, type ComposeModel } from './model.js';
import { swarmTeardown } from './swarm/lifecycle.js';
import { removeStackTempDir, stackTempDir } from './temp.js';

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** One stack: the compose command, the project selection and where its files are. */
export interface Session {
  cmd: ComposeCommand;
  inputs: StackInputs;
  directory: string;
  /** The user's compose files: absolute paths, and as the user wrote them (for errors). */
  files: string[];
  display: string[];
  /** The generated override file (last `-f`). */
  overrideFile: string;
  logsDir: string;
}

/** The user's compose files, or compose's default file in the working directory. */
export function resolveFiles(inputs: StackInputs, lenient = false): { files: string[]; display: string[] } {
  const dir = resolve(inputs.directory);
  if (inputs.files.length) {
    return { files: inputs.files.map((f) => (isAbsolute(f) ? f : join(dir, f))), display: inputs.files };
  }
  const found = DEFAULT_FILES.find((f) => existsSync(join(dir, f)));
  if (!found) {
    if (lenient) return { files: [], display: [] };
    throw new UserError(`no compose file in ${inputs.directory} (looked for ${DEFAULT_FILES.join(', ')})`, {
      field: 'input "compose-file"',
    });
  }
  return { files: [join(dir, found)], display: [found] };
}

/** Sets up a session; `overrideFile` lives in a temp folder named after the project. */
export async function openSession(
  inputs: StackInputs,
  overrideFile?: string,
  lenient = false,
): Promise<Session> {
  const cmd = await findCompose();
  const { files, display } = resolveFiles(inputs, lenient);
  return {
    cmd,
    inputs,
    directory: resolve(inputs.directory),
    files,
    display,
    overrideFile: overrideFile || join(stackTempDir(inputs.project), 'compose.override.yml'),
    logsDir: resolve(inputs.logsDir),
  };
}

/** The compose project, with the override file when it exists (it does not before `up`). */
export function projectOf(s: Session, withOverride = existsSync(s.overrideFile)): ComposeProject {
  return {
    name: s.inputs.project,
    files: withOverride ? [...s.files, s.overrideFile] : s.files,
    directory: s.directory,
    envFiles: s.inputs.envFiles.map((f) => resolve(s.directory, f)),
    profiles: s.inputs.profiles,
  };
}

/** Runs compose for the session's project. */
/**
 * The session's compose model, read by compose itself (the project's files, env files and profiles,
 * without shipkit's override); `inProcessWhenPlain` lets a plain single file skip starting compose.
 */
export function sessionModel(s: Session, inProcessWhenPlain = false): Promise<ComposeModel> {
  const p = projectOf(s, false);
  return loadCompose({
    cmd: s.cmd,
    files: p.files,
    display: s.display,
    projectDir: s.directory,
    env: s.inputs.env,
    envFiles: p.envFiles,
    profiles: p.profiles,
    projectName: p.name,
    inProcessWhenPlain,
  });
}

export function runCompose(s: Session, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const c = composeCommand(s.cmd, projectOf(s), args);
  return exec(c.file, c.args, { cwd: s.directory, ...opts });
}

export async function writeOverride(s: Session, text: string): Promise<void> {
  await mkdir(join(s.overrideFile, '..'), { recursive: true });
  await writeFile(s.overrideFile, text);
}

/** Saves every container's log into the logs folder; never throws (logs must not mask the real error). */
export async function collectLogs(s: Session, platform: Platform): Promise<string[]> {
  try {
    const containers = (await projectContainers(s.inputs.project)).map(containerState);
    const files = await saveLogs(s.logsDir, containers, s.inputs.logsMaxSize);
    platform.info(`Saved ${files.length} container log(s) to ${s.logsDir}`);
    return files;
  } catch (err: unknown) {
    platform.warning(`could not save the stack's logs: ${(err as Error).message}`);
    return [];
  }
}

/**
 * Removes the stack: `compose down -v --remove-orphans` (+ `--rmi local`), then removes whatever
 * still carries the project's label (what a killed `up` or a lost override file leaves behind).
 * `fast` (after a failed `up`, on a signal) skips compose and its graceful stop unless images are
 * to be removed: the label sweep alone removes the same objects, seconds sooner.
 * Returns how many objects were left after the sweep (0 when all went).
 */
export async function teardown(s: Session, platform: Platform, { fast = false } = {}): Promise<number> {
  if (s.inputs.engine === 'swarm') return swarmTeardown(s, platform);
  if (s.files.length > 0 && (!fast || s.inputs.removeImages)) {
    const down = planDown({ removeImages: s.inputs.removeImages, stopTimeoutS: 5 });
    const r = await runCompose(s, down, { check: false, timeoutMs: 120_000 }).catch((err: unknown) => ({
      code: 1,
      stderr: (err as Error).message,
    }));
    if (r.code !== 0)
      platform.warning(`compose down exited ${r.code}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  }
  const left = await projectResources(s.inputs.project);
  if (left.length) await removeResources(left);
  const after = await projectResources(s.inputs.project);
  await removeStackTempDir(dirname(s.overrideFile));
  if (after.length) {
    platform.warning(
      `${after.length} object(s) of ${s.inputs.project} could not be removed: ${after.map((a) => `${a.kind} ${a.id.slice(0, 12)}`).join(', ')}`,
    );
  } else platform.info(`Removed stack ${s.inputs.project}`);
  return after.length;
}
