import { describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../../src/core/inputs.js';
import { UserError } from '../../src/core/errors.js';
import { readRunnerInputs } from '../../src/runner/inputs.js';
import { runArgs } from '../../src/runner/container.js';
import { containerSpec } from '../../src/runner/flows.js';

/**
 * The runner images cannot be pulled here, so their documented interface is written down and
 * shipkit's container command and environment are checked against it.
 *
 * gitlab/gitlab-runner (checked: the ubuntu and alpine image definitions in gitlab-runner's
 * dockerfiles/runner/, and commands/single.go plus common/config.go of the release line that has
 * `run-single --config/--runner`, i.e. 17.x; docs.gitlab.com/17.8/runner/commands):
 *   ENTRYPOINT ["/usr/bin/dumb-init", "/entrypoint"], and /entrypoint ends in `exec gitlab-runner "$@"`,
 *   so the container command is the sub-command and its flags. STOPSIGNAL SIGQUIT.
 *   run-single: `--max-builds N` (0 = no limit), `--wait-timeout S` (0 = wait for ever), `-c/--config`,
 *   `-r/--runner`, and the runner's own settings, each a flag with a variable:
 *   --url $CI_SERVER_URL (required), --token $CI_SERVER_TOKEN (required), --executor $RUNNER_EXECUTOR
 *   (required), --name $RUNNER_NAME, --limit $RUNNER_LIMIT, --docker-image $DOCKER_IMAGE,
 *   --docker-volumes $DOCKER_VOLUMES (repeatable), --docker-extra-hosts $DOCKER_EXTRA_HOSTS (repeatable),
 *   --docker-privileged $DOCKER_PRIVILEGED (boolean).
 *
 * ghcr.io/actions/actions-runner (checked: actions/runner images/Dockerfile for runner 2.3xx, and
 * src/Runner.Listener CommandSettings / Constants):
 *   no ENTRYPOINT or CMD; WORKDIR /home/runner holds run.sh; USER runner. Runner.Listener `run` takes
 *   `--jitconfig <encoded>`, and any argument `<name>` from `ACTIONS_RUNNER_INPUT_<NAME>` (case-insensitive),
 *   which it then removes from its environment.
 */
type Kind = 'int' | 'string' | 'strings' | 'bool';
interface GitLabFlag {
  kind: Kind;
  env?: string;
}
const RUN_SINGLE: Record<string, GitLabFlag> = {
  '--max-builds': { kind: 'int' },
  '--wait-timeout': { kind: 'int' },
  '--config': { kind: 'string', env: 'CONFIG_FILE' },
  '--runner': { kind: 'string' },
  '--url': { kind: 'string', env: 'CI_SERVER_URL' },
  '--token': { kind: 'string', env: 'CI_SERVER_TOKEN' },
  '--name': { kind: 'string', env: 'RUNNER_NAME' },
  '--limit': { kind: 'int', env: 'RUNNER_LIMIT' },
  '--executor': { kind: 'string', env: 'RUNNER_EXECUTOR' },
  '--docker-image': { kind: 'string', env: 'DOCKER_IMAGE' },
  '--docker-volumes': { kind: 'strings', env: 'DOCKER_VOLUMES' },
  '--docker-extra-hosts': { kind: 'strings', env: 'DOCKER_EXTRA_HOSTS' },
  '--docker-privileged': { kind: 'bool', env: 'DOCKER_PRIVILEGED' },
};
const GITLAB_SUBCOMMANDS = ['run', 'run-single', 'register', 'unregister', 'verify', 'list', 'exec'];

/** What gitlab-runner would see: the sub-command and its settings from flags, then from variables. */
function asGitLabRunner(command: readonly string[], env: Record<string, string>) {
  const [sub, ...rest] = command;
  const problems: string[] = [];
  if (!GITLAB_SUBCOMMANDS.includes(sub)) problems.push(`"${sub}" is not a gitlab-runner command`);
  const settings: Record<string, string | string[] | boolean> = {};
  for (let k = 0; k < rest.length; k++) {
    const flag = RUN_SINGLE[rest[k]];
    if (!flag) {
      problems.push(`unknown run-single flag ${rest[k]}`);
      continue;
    }
    if (flag.kind === 'bool') {
      settings[rest[k]] = true;
      continue;
    }
    const value = rest[++k];
    if (value === undefined || value.startsWith('--')) problems.push(`${rest[k - 1]} needs a value`);
    else if (flag.kind === 'int' && !/^\d+$/.test(value)) problems.push(`${rest[k - 1]} takes an integer`);
    else if (flag.kind === 'strings')
      settings[rest[k - 1]] = [...((settings[rest[k - 1]] as string[]) ?? []), value];
    else settings[rest[k - 1]] = value;
  }
  for (const [name, flag] of Object.entries(RUN_SINGLE)) {
    if (settings[name] === undefined && flag.env && env[flag.env] !== undefined)
      settings[name] = env[flag.env];
  }
  // run-single's HandleArgs: "Missing URL", "Missing Token", "Missing Executor" are fatal.
  for (const required of ['--url', '--token', '--executor'])
    if (!settings[required]) problems.push(`missing ${required}`);
  return { sub, settings, problems };
}

const read = (values: Record<string, string | undefined>, env: Record<string, string> = {}) =>
  readRunnerInputs(new InputReader(inputsFrom(values)), env);
const reg = { id: 7, name: 'shipkit-9-1-ab-c1700000000', label: 'shipkit-9-1-ab', createdAt: 1_700_000_000 };

describe('gitlab/gitlab-runner: the command and environment shipkit gives it match run-single', () => {
  const gitlab = (extra: Record<string, string> = {}) =>
    read({
      command: 'up',
      provider: 'gitlab',
      'gitlab-token': 'glpat-x',
      'gitlab-url': 'https://gitlab.example',
      'project-id': '4',
      'runner-image': 'gitlab/gitlab-runner:v17.8.0',
      ttl: '45m',
      ...extra,
    });
  const rows: { name: string; inputs: Record<string, string>; expected: Record<string, unknown> }[] = [
    {
      name: 'defaults: docker executor, one job, wait up to the TTL',
      inputs: {},
      expected: {
        '--max-builds': '1',
        '--wait-timeout': '2700',
        '--url': 'https://gitlab.example',
        '--token': 'glrt-SECRET',
        '--executor': 'docker',
        '--name': reg.name,
        '--docker-image': 'debian:bookworm-slim',
      },
    },
    {
      name: 'job containers on the host engine (socket and host.docker.internal)',
      inputs: {
        'gitlab-job-volumes': '/var/run/docker.sock:/var/run/docker.sock\n/certs/client',
        'gitlab-job-extra-hosts': 'host.docker.internal:host-gateway',
        'gitlab-job-image': 'ghcr.io/shipkit-dev/shipkit:1',
      },
      expected: {
        '--docker-volumes': ['/var/run/docker.sock:/var/run/docker.sock', '/certs/client'],
        '--docker-extra-hosts': ['host.docker.internal:host-gateway'],
        '--docker-image': 'ghcr.io/shipkit-dev/shipkit:1',
      },
    },
    {
      name: 'privileged job containers for a docker:dind service',
      inputs: { 'gitlab-job-privileged': 'true' },
      expected: { '--docker-privileged': true },
    },
    {
      name: 'shell executor: no docker-executor flags',
      inputs: { 'gitlab-executor': 'shell', 'gitlab-job-privileged': 'true' },
      expected: { '--executor': 'shell' },
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const spec = containerSpec(gitlab(r.inputs), {
        ...reg,
        secret: 'glrt-SECRET',
      });
      const seen = asGitLabRunner(spec.command, { ...spec.env, ...spec.secretEnv });
      expect(seen.problems).toEqual([]);
      expect(seen.sub).toBe('run-single');
      expect(seen.settings).toMatchObject(r.expected);
      if (r.inputs['gitlab-executor'] === 'shell')
        expect(
          Object.keys(seen.settings).filter((k) => k.startsWith('--docker-') && k !== '--docker-image'),
        ).toEqual([]);
    });
  }

  it('the glrt- token reaches --token only through CI_SERVER_TOKEN, never the command line', () => {
    const spec = containerSpec(gitlab(), { ...reg, secret: 'glrt-SECRET' });
    expect(Object.keys(spec.secretEnv)).toEqual([RUN_SINGLE['--token'].env]);
    expect(runArgs(spec).join('\n')).not.toContain('glrt-SECRET');
    expect(runArgs(spec)).toContain('CI_SERVER_TOKEN');
  });

  it('every variable shipkit sets is one run-single reads (or one the user asked for)', () => {
    const spec = containerSpec(gitlab({ env: 'TZ=UTC' }), { ...reg, secret: 'glrt-SECRET' });
    const documented = new Set(Object.values(RUN_SINGLE).map((f) => f.env));
    expect(Object.keys({ ...spec.env, ...spec.secretEnv }).filter((k) => !documented.has(k))).toEqual(['TZ']);
  });

  it('hostile values stay single arguments: a volume with $ or ${X} is passed as written, never expanded', () => {
    const spec = containerSpec(gitlab({ 'gitlab-job-volumes': '/srv/$HOME:/x,/srv/${X}:/y' }), {
      ...reg,
      secret: 'glrt-SECRET',
    });
    const seen = asGitLabRunner(spec.command, spec.env);
    expect(seen.settings['--docker-volumes']).toEqual(['/srv/$HOME:/x', '/srv/${X}:/y']);
  });
});

describe('ghcr.io/actions/actions-runner: the command and environment shipkit gives it match run.sh --jitconfig', () => {
  const ENV_PREFIX = 'ACTIONS_RUNNER_INPUT_';
  const LISTENER_ARGS = ['auth', 'jitconfig', 'labels', 'name', 'runnergroup', 'token', 'url', 'work'];
  const github = read({
    command: 'up',
    repository: 'acme/shop',
    'github-token': 'ghp_x',
    'runner-image': 'ghcr.io/actions/actions-runner:2.329.0',
  });

  it('runs ./run.sh from the image WORKDIR (the image has no entrypoint) and passes --jitconfig by variable', () => {
    const spec = containerSpec(github, { ...reg, secret: 'ENCODED-JIT' });
    expect(spec.command).toEqual(['./run.sh']);
    const [name] = Object.keys(spec.secretEnv);
    expect(name.startsWith(ENV_PREFIX)).toBe(true);
    expect(LISTENER_ARGS).toContain(name.slice(ENV_PREFIX.length).toLowerCase());
    expect(name.slice(ENV_PREFIX.length).toLowerCase()).toBe('jitconfig');
    expect(spec.secretEnv[name]).toBe('ENCODED-JIT');
    expect(runArgs(spec).join('\n')).not.toContain('ENCODED-JIT');
  });

  it('sets no GitLab variables and keeps the GitHub behaviour (user env passed as is)', () => {
    const i = read({
      command: 'up',
      repository: 'acme/shop',
      'github-token': 'x',
      'runner-image': 'i',
      env: 'A=1',
    });
    const spec = containerSpec(i, { ...reg, secret: 'J' });
    expect(spec.env).toEqual({ A: '1' });
  });
});

describe('hostile runner inputs are refused with the input named, before any API call', () => {
  const base = {
    command: 'up',
    provider: 'gitlab',
    'gitlab-token': 't',
    'project-id': '1',
    'runner-image': 'i',
  };
  const rows: { name: string; values: Record<string, string>; field: string }[] = [
    { name: 'a label with a newline', values: { label: 'ok\nrun_untagged' }, field: 'label' },
    { name: 'a label with $', values: { label: 'shipkit-$CI_PIPELINE_ID' }, field: 'label' },
    { name: 'a label with ${X}', values: { label: 'a-${X}' }, field: 'label' },
    { name: 'an extra tag with a workflow command', values: { labels: '::warning::x' }, field: 'labels' },
    { name: 'a name prefix with a newline', values: { 'name-prefix': 'ship\nkit' }, field: 'name-prefix' },
    { name: 'a name prefix with $', values: { 'name-prefix': 'ship$kit' }, field: 'name-prefix' },
    { name: 'an env name with a space', values: { env: 'A B=1' }, field: 'env' },
    { name: 'an env name with ${X}', values: { env: '${X}=1' }, field: 'env' },
    {
      name: 'a job volume with a space',
      values: { 'gitlab-job-volumes': '/a b:/c' },
      field: 'gitlab-job-volumes',
    },
    {
      name: 'a job host without an address',
      values: { 'gitlab-job-extra-hosts': 'justaname' },
      field: 'gitlab-job-extra-hosts',
    },
    { name: 'a runner volume with a tab', values: { volumes: '/a\t:/b' }, field: 'volumes' },
  ];
  for (const r of rows) {
    it(r.name, () => {
      let err: unknown;
      try {
        read({ ...base, ...r.values });
      } catch (e: unknown) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).location.field).toBe(`input "${r.field}"`);
    });
  }
  it('an env value with $, ${X} and :: reaches the container as written (docker -e, no shell)', () => {
    const i = read({ ...base, env: 'A=$HOME ${X} ::warning::' });
    const spec = containerSpec(i, { ...reg, secret: 's' });
    expect(runArgs(spec)).toContain('A=$HOME ${X} ::warning::');
  });
});
