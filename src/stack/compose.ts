import { findCompose as find, type ComposeCommand } from '../docker/cli.js';
import type { Env } from '../platform/context.js';

/** The compose command for `up`: the docker capability's `findCompose` (no `docker-compose version` run). */
export function findCompose(env: Env): Promise<ComposeCommand> {
  return find(env.PATH ?? '');
}
