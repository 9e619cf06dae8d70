import { crypto } from '../core/builtins.js';
import type { RunContext } from '../platform/context.js';

/** What compose (strict since v2.5.1) accepts as a project name. */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Lower-cases and replaces anything compose rejects with `-`, collapsing runs. */
export function sanitize(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

/**
 * A compose project name unique to this run, so parallel jobs on one Docker host never collide:
 * GitHub `<prefix>-<run id>-<attempt>[-<job>]`, GitLab `<prefix>-<pipeline id>-<job id>`, locally
 * `<prefix>-local-<random>`. The same run always gives the same name, so a later `down` (GitLab's
 * after_script) finds the stack without state. At most 63 characters.
 */
export function projectName(
  ctx: RunContext,
  prefix: string,
  random = () => crypto().randomBytes(4).toString('hex'),
): string {
  let parts: string[];
  if (ctx.ci === 'github') parts = [prefix, ctx.runId, ctx.attempt, ctx.jobName ?? ''];
  else if (ctx.ci === 'gitlab') parts = [prefix, ctx.runId, ctx.attempt];
  else parts = [prefix, 'local', random()];
  const name = parts
    .map(sanitize)
    .filter(Boolean)
    .join('-')
    .slice(0, 63)
    .replace(/[-_]+$/, '');
  return PROJECT_NAME.test(name) ? name : `shipkit-${random()}`;
}
