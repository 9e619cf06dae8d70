import type { RunnerInputs } from './inputs.js';

/** What a runner image is started with: the command after the image, plain and secret environment. */
export interface RunnerProcess {
  command: string[];
  env: Record<string, string>;
  /** Passed by name only (`-e NAME`), so the value is never on a command line. */
  secretEnv: Record<string, string>;
}

/**
 * actions/runner (`ghcr.io/actions/actions-runner`): the image has no ENTRYPOINT or CMD and its
 * WORKDIR is the runner's folder, so the command is `./run.sh`. The runner takes any argument from
 * an `ACTIONS_RUNNER_INPUT_<NAME>` variable and removes it from its environment, so the JIT config
 * reaches `--jitconfig` through `ACTIONS_RUNNER_INPUT_JITCONFIG`.
 */
export function githubRunnerProcess(i: RunnerInputs, jitConfig: string): RunnerProcess {
  return {
    command: i.command_ ?? ['./run.sh'],
    env: { ...i.env },
    secretEnv: { ACTIONS_RUNNER_INPUT_JITCONFIG: jitConfig },
  };
}

/**
 * gitlab-runner (`gitlab/gitlab-runner`): the image's entrypoint runs `gitlab-runner "$@"`, so the
 * command is the sub-command. `run-single` takes the runner from its flags and their variables
 * (`CI_SERVER_URL`, `CI_SERVER_TOKEN` — the `glrt-` token, `RUNNER_NAME`, `RUNNER_EXECUTOR`,
 * `DOCKER_IMAGE`), takes `--max-builds 1` job and gives up after `--wait-timeout` seconds without one.
 * The docker executor's job-container settings go as flags (`--docker-volumes` …, one per value).
 */
export function gitlabRunnerProcess(
  i: RunnerInputs,
  reg: { name: string; secret: string },
  waitSeconds: number,
): RunnerProcess {
  const command = ['run-single', '--max-builds', '1', '--wait-timeout', String(waitSeconds)];
  if (i.gitlabExecutor === 'docker') {
    for (const v of i.gitlabJob.volumes) command.push('--docker-volumes', v);
    for (const h of i.gitlabJob.extraHosts) command.push('--docker-extra-hosts', h);
    if (i.gitlabJob.privileged) command.push('--docker-privileged');
  }
  return {
    command: i.command_ ?? command,
    env: {
      CI_SERVER_URL: i.apiUrl,
      RUNNER_NAME: reg.name,
      RUNNER_EXECUTOR: i.gitlabExecutor,
      DOCKER_IMAGE: i.gitlabJobImage,
      ...i.env,
    },
    secretEnv: { CI_SERVER_TOKEN: reg.secret },
  };
}
