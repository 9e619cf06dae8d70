import { UserError } from '../core/errors.js';
import type { ComposeCommand, ComposeProject } from '../docker/cli.js';
import { composeArgs } from '../docker/cli.js';

/** A command to run: program and argument array (never a shell string). */
export interface Command {
  file: string;
  args: string[];
}

export { COMPOSE_V1 as V1, COMPOSE_V2 as V2 } from '../docker/cli.js';

/**
 * The full command for `compose <args>` on this compose version: global flags first (`--ansi never`
 * keeps logs plain on both), then the project selection. v1 reads a single `--env-file`.
 */
export function composeCommand(
  cmd: ComposeCommand,
  project: ComposeProject,
  args: readonly string[],
): Command {
  if (cmd.version === 1 && (project.envFiles?.length ?? 0) > 1) {
    throw new UserError('docker-compose v1 reads only one env file; install compose v2 for several', {
      field: 'input "env-file"',
    });
  }
  return { file: cmd.file, args: [...cmd.prefix, '--ansi', 'never', ...composeArgs(project), ...args] };
}

/** `config --services`: validates the merged model and lists the services the active profiles enable. */
export function planConfig(): string[] {
  return ['config', '--services'];
}

/**
 * `build <services>`: only services that have a `build:` section and no image given. Compose v1's
 * classic builder keeps the container of a failed step unless `--force-rm` (v2 builds with BuildKit).
 */
export function planBuild(cmd: ComposeCommand, services: readonly string[]): string[] {
  return ['build', ...(cmd.version === 1 ? ['--force-rm'] : []), ...services];
}

export interface UpOptions {
  scale: Record<string, number>;
  /** Images were built (or are given) beforehand: never build during `up`. */
  noBuild: boolean;
}

/**
 * `up -d` with `--scale` per service; never `--wait` (v1 lacks it and v2's shows no logs: shipkit
 * waits itself). v2 gets `--quiet-pull` so pull progress does not flood the log.
 */
export function planUp(cmd: ComposeCommand, o: UpOptions): string[] {
  const args = ['up', '-d', '--remove-orphans'];
  if (cmd.version === 2) args.push('--quiet-pull');
  if (o.noBuild) args.push('--no-build');
  for (const [service, n] of Object.entries(o.scale).sort()) args.push('--scale', `${service}=${n}`);
  return args;
}

/** `down -v --remove-orphans [--rmi local] -t N`. */
export function planDown(o: { removeImages: boolean; stopTimeoutS?: number }): string[] {
  const args = ['down', '-v', '--remove-orphans'];
  if (o.removeImages) args.push('--rmi', 'local');
  args.push('-t', String(o.stopTimeoutS ?? 10));
  return args;
}
