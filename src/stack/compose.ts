import { findCompose as find, type ComposeCommand } from '../docker/cli.js';
import { searchPath } from '../core/exec.js';

/** The compose command for `up`: the docker capability's `findCompose` (no `docker-compose version` run). */
export function findCompose(): Promise<ComposeCommand> {
  return find(searchPath());
}
