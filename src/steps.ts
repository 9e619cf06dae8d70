import type { Step } from './core/step.js';

/**
 * Every step, loaded on demand so `shipkit --help` and one step's run do not pay for the others.
 * Keys are the folder names under `actions/`.
 */
export const STEPS: Readonly<Record<string, () => Promise<Step>>> = {
  lint: async () => (await import('./lint/step.js')).step,
  meta: async () => (await import('./meta/step.js')).step,
  'build-push': async () => (await import('./build-push/step.js')).step,
  stack: async () => (await import('./stack/step.js')).step,
  runner: async () => (await import('./runner/step.js')).step,
  smoke: async () => (await import('./smoke/step.js')).step,
  'blue-green': async () => (await import('./blue-green/step.js')).step,
  notify: async () => (await import('./notify/step.js')).step,
};

/** Other spellings the CLI accepts for a step. */
export const STEP_ALIASES: Readonly<Record<string, string>> = {
  bluegreen: 'blue-green',
  build: 'build-push',
};

/** One-line summaries for `shipkit --help`, without loading any step. */
export const STEP_SUMMARIES: Readonly<Record<string, string>> = {
  lint: 'Lint Dockerfiles (hadolint-compatible rules, config, pragmas and formats)',
  meta: 'Compute image tags and OCI labels from the Git/CI context (docker/metadata-action rules)',
  'build-push': 'Log in, build and push images with retries, digests and a size budget',
  stack: 'Bring the compose stack up, wait until healthy, save logs, tear down, gc leftovers',
  runner: 'Start and remove ephemeral self-hosted runners (GitHub JIT, GitLab)',
  smoke: 'Smoke-test the load balancer: status, latency, distribution, failover, TLS',
  'blue-green': 'Deploy to the idle colour, promote, roll back, abort, status',
  notify: 'Post and update Slack messages for each pipeline step',
};

export async function loadStep(name: string): Promise<Step | undefined> {
  const key = STEP_ALIASES[name] ?? name;
  return STEPS[key]?.();
}
