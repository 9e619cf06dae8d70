import { buildPushInterface } from '../generated/build-push.js';
import { existsSync } from 'node:fs';
import { defineStep } from '../core/step.js';
import type { MetaRequest, MetaResult } from '../meta/api.js';
import type { Env } from '../platform/context.js';
import { getStepInputs, Inputs, Outputs } from './inputs.js';
import { logout } from './login.js';
import { buildPush, State } from './run.js';

export { Inputs, Outputs };

/** Tags and labels from meta for a request, in the CI context of `env` (the environment read with the inputs). */
export type MetaResolver = (req: MetaRequest, env: Env) => Promise<MetaResult>;

/**
 * The build-push step. `resolveMeta` is the seam to the meta step: when given, `images` (single image)
 * or an empty `tags` (compose) take tags and labels from meta; tests pass their own resolver.
 */
export function makeStep(resolveMeta?: MetaResolver) {
  return defineStep({
    name: 'build-push',
    summary: 'Log in, build and push images with retries, digests and a size budget',
    inputs: Inputs,
    interface: buildPushInterface,
    outputs: Outputs,
    // The environment (compose interpolation, CI registry credentials, meta's context) comes with the inputs.
    getInputs: (reader) => getStepInputs(reader),
    async main({ env, ...inputs }, platform) {
      const meta = resolveMeta && ((req: MetaRequest) => resolveMeta(req, env));
      await buildPush(inputs, platform, { env, cwd: process.cwd(), resolveMeta: meta });
    },
    // The main step already logs out of its private docker config; this catches a killed main step.
    async post(_inputs, platform) {
      const dir = platform.getState(State.dockerConfig);
      const registry = platform.getState(State.registry);
      if (dir && existsSync(dir)) await logout(registry, dir, platform);
      else platform.info(registry ? `Already logged out of ${registry}` : 'No registry login to undo');
    },
    cli: {
      positional: [Inputs.context],
      aliases: { '-t': Inputs.tags, '-f': Inputs.file },
      switches: [Inputs.push, Inputs.noCache, Inputs.logout, Inputs.cache, Inputs.provenance],
      usage: '[context] -t registry/name:tag [--compose-file file] [--max-size 15MB]',
    },
  });
}

/** The step as shipped: tags and labels come from meta when only `images` (or no `tags`) is given. */
export const step = makeStep(async (req, env) => {
  const meta = await import('../meta/index.js');
  return meta.computeMeta(req, await meta.metaContextFromEnv(env));
});
