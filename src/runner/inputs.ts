import { UserError } from '../core/errors.js';
import type { InputReader } from '../core/inputs.js';
import { stepReader, type StepReader } from '../core/interface.js';
import { runnerInterface } from '../generated/runner.js';
import { detectCi, processEnv, runContext, type Env } from '../platform/context.js';

/** Input names, exactly as in actions/runner/action.yml. */
export const Inputs = {
  command: 'command',
  provider: 'provider',
  githubToken: 'github-token',
  gitlabToken: 'gitlab-token',
  githubApiUrl: 'github-api-url',
  gitlabUrl: 'gitlab-url',
  scope: 'scope',
  repository: 'repository',
  org: 'org',
  projectId: 'project-id',
  groupId: 'group-id',
  runnerGroupId: 'runner-group-id',
  label: 'label',
  labels: 'labels',
  namePrefix: 'name-prefix',
  runnerImage: 'runner-image',
  runnerCommand: 'runner-command',
  env: 'env',
  volumes: 'volumes',
  privileged: 'privileged',
  network: 'network',
  gitlabExecutor: 'gitlab-executor',
  gitlabJobImage: 'gitlab-job-image',
  gitlabJobVolumes: 'gitlab-job-volumes',
  gitlabJobExtraHosts: 'gitlab-job-extra-hosts',
  gitlabJobPrivileged: 'gitlab-job-privileged',
  ttl: 'ttl',
  wait: 'wait',
  postDown: 'post-down',
  runnerId: 'runner-id',
  container: 'container',
} as const;

export const Outputs = {
  label: 'label',
  runnerId: 'runner-id',
  runnerName: 'runner-name',
  container: 'container',
  removedContainers: 'removed-containers',
  removedRunners: 'removed-runners',
} as const;

/** The `command` input's values, from actions/runner/action.yml. */
export const COMMANDS = runnerInterface.inputs.command.options;
export type Command = (typeof COMMANDS)[number];
export type Provider = 'github' | 'gitlab';

/** Where the runner is registered: a repository or organisation on GitHub; project, group or instance on GitLab. */
export type Scope =
  | { kind: 'repo'; owner: string; repo: string }
  | { kind: 'org'; org: string }
  | { kind: 'project'; id: string }
  | { kind: 'group'; id: string }
  | { kind: 'instance' };

export interface RunnerInputs {
  command: Command;
  provider: Provider;
  /** The token of the chosen provider (the other one is ignored). Undefined only for a container-only gc. */
  token?: string;
  apiUrl: string;
  scope?: Scope;
  runnerGroupId: number;
  /** Unique label for `runs-on` / the job's `tags`; generated when not given. */
  label?: string;
  extraLabels: string[];
  namePrefix: string;
  image?: string;
  command_?: string[];
  env: Record<string, string>;
  volumes: string[];
  privileged: boolean;
  network?: string;
  gitlabExecutor: string;
  gitlabJobImage: string;
  /** What the gitlab-runner docker executor gives each job container (`--docker-volumes` …). */
  gitlabJob: { volumes: string[]; extraHosts: string[]; privileged: boolean };
  ttlMs: number;
  wait: boolean;
  postDown: boolean;
  runnerId?: number;
  container?: string;
  /** Who started the runner (`dev.shipkit.owner`): the repository and run. */
  owner: string;
  runId: string;
  attempt: string;
}

type Reader = StepReader<typeof runnerInterface>;

const NAME_PREFIX = /^[a-z][a-z0-9-]{0,19}$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A docker `-v` / `--add-host` value: printable, no spaces (it becomes one argument, never a shell word). */
const DOCKER_WORD = /^[^\s\x00-\x1f\x7f]{1,4096}$/;

/** Items of a list input that must each be one docker word; throws `UserError` naming the input. */
function dockerWords(
  r: Reader,
  name: keyof typeof runnerInterface.inputs,
  what: string,
  pair = true,
): string[] {
  const items = r.list(name);
  for (const item of items) {
    if (!DOCKER_WORD.test(item) || (pair && !item.includes(':'))) {
      throw new UserError(`"${item}" is not ${what}`, { field: `input "${name}"` });
    }
  }
  return items;
}

/** The `env` input: names must be environment variable names (the value reaches the container byte for byte). */
function envMap(r: Reader): Record<string, string> {
  const env = r.map(Inputs.env);
  for (const k of Object.keys(env)) {
    if (!ENV_NAME.test(k)) {
      throw new UserError(`"${k}" is not an environment variable name (letters, digits, _)`, {
        field: `input "${Inputs.env}"`,
      });
    }
  }
  return env;
}

function scopeFor(r: Reader, provider: Provider, env: Env): Scope | undefined {
  const fallback = provider === 'github' ? 'repo' : 'project';
  const raw = r.choice(Inputs.scope, fallback);
  // The same words on both sides: GitLab's project/group are GitHub's repo/org.
  const alias: Record<string, string> =
    provider === 'github' ? { project: 'repo', group: 'org' } : { repo: 'project', org: 'group' };
  const kind: string = alias[raw] ?? raw;
  if (provider === 'github') {
    const repository = r.optional(Inputs.repository) ?? env.GITHUB_REPOSITORY;
    if (kind === 'instance') {
      throw new UserError('GitHub runners are registered to a repo or an org, not an instance', {
        field: `input "${Inputs.scope}"`,
      });
    }
    if (kind === 'org') {
      const org = r.optional(Inputs.org) ?? repository?.split('/')[0];
      return org ? { kind: 'org', org } : undefined;
    }
    if (!repository) return undefined;
    const m = /^([\w.-]+)\/([\w.-]+)$/.exec(repository);
    if (!m)
      throw new UserError(`expected owner/name, got "${repository}"`, {
        field: `input "${Inputs.repository}"`,
      });
    return { kind: 'repo', owner: m[1], repo: m[2] };
  }
  if (kind === 'instance') return { kind: 'instance' };
  if (kind === 'group') {
    const id = r.optional(Inputs.groupId) ?? env.CI_PROJECT_NAMESPACE_ID;
    return id ? { kind: 'group', id } : undefined;
  }
  const id = r.optional(Inputs.projectId) ?? env.CI_PROJECT_ID;
  return id ? { kind: 'project', id } : undefined;
}

function providerFor(r: Reader, env: Env): Provider {
  const ci = detectCi(env);
  const guess: Provider =
    ci === 'gitlab' || (ci === 'local' && r.optional(Inputs.gitlabToken) && !r.optional(Inputs.githubToken))
      ? 'gitlab'
      : 'github';
  return r.choice(Inputs.provider, guess);
}

/**
 * Reads and validates the runner step's inputs. Defaults come from the CI environment
 * (GITHUB_REPOSITORY, GITHUB_API_URL, CI_SERVER_URL, CI_PROJECT_ID); throws `UserError` naming the input.
 */
export function readRunnerInputs(reader: InputReader, env: Env = processEnv()): RunnerInputs {
  const r = stepReader(reader, runnerInterface);
  const command = r.choice(Inputs.command);
  const provider = providerFor(r, env);
  const tokenInput = provider === 'github' ? Inputs.githubToken : Inputs.gitlabToken;
  // The CLI takes the token from the environment too, so it need not sit on a command line.
  const token =
    r.optional(tokenInput) ?? (provider === 'github' ? env.GITHUB_TOKEN : env.GITLAB_TOKEN) ?? undefined;
  const apiUrl =
    provider === 'github'
      ? (r.optional(Inputs.githubApiUrl) ?? env.GITHUB_API_URL ?? 'https://api.github.com')
      : (r.optional(Inputs.gitlabUrl) ?? env.CI_SERVER_URL ?? 'https://gitlab.com');
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
    const field = provider === 'github' ? Inputs.githubApiUrl : Inputs.gitlabUrl;
    throw new UserError(`expected an http(s) URL, got "${apiUrl}"`, { field: `input "${field}"` });
  }
  const scope = scopeFor(r, provider, env);
  const namePrefix = r.string(Inputs.namePrefix);
  if (!NAME_PREFIX.test(namePrefix)) {
    throw new UserError(`expected lower-case letters, digits and dashes (max 20), got "${namePrefix}"`, {
      field: `input "${Inputs.namePrefix}"`,
    });
  }
  const label = r.optional(Inputs.label);
  for (const l of [label, ...r.list(Inputs.labels)]) {
    if (l !== undefined && !LABEL.test(l)) {
      throw new UserError(`"${l}" is not a valid runner label (letters, digits, . _ -; max 64)`, {
        field: `input "${label === l ? Inputs.label : Inputs.labels}"`,
      });
    }
  }
  const ctx = runContext(env);
  const runnerIdText = r.optional(Inputs.runnerId);
  const inputs: RunnerInputs = {
    command,
    provider,
    token,
    apiUrl: apiUrl.replace(/\/+$/, ''),
    scope,
    runnerGroupId: r.int(Inputs.runnerGroupId, { min: 1 }),
    label,
    extraLabels: r.list(Inputs.labels),
    namePrefix,
    image: r.optional(Inputs.runnerImage),
    command_: r.optional(Inputs.runnerCommand) ? r.lines(Inputs.runnerCommand) : undefined,
    env: envMap(r),
    volumes: dockerWords(r, Inputs.volumes, 'a volume ([source:]target[:options])', false),
    privileged: r.bool(Inputs.privileged),
    network: r.optional(Inputs.network),
    gitlabExecutor: r.string(Inputs.gitlabExecutor),
    gitlabJobImage: r.string(Inputs.gitlabJobImage),
    gitlabJob: {
      volumes: dockerWords(r, Inputs.gitlabJobVolumes, 'a volume ([source:]target[:options])', false),
      extraHosts: dockerWords(r, Inputs.gitlabJobExtraHosts, 'a host entry (name:address)'),
      privileged: r.bool(Inputs.gitlabJobPrivileged),
    },
    ttlMs: r.duration(Inputs.ttl),
    wait: r.bool(Inputs.wait),
    postDown: r.bool(Inputs.postDown),
    runnerId: runnerIdText === undefined ? undefined : r.int(Inputs.runnerId, { min: 1 }),
    container: r.optional(Inputs.container),
    owner: ctx.repository || 'local',
    runId: ctx.runId,
    attempt: ctx.attempt,
  };
  const kind = r.optional(Inputs.scope)?.toLowerCase();
  const scopeField =
    provider === 'github'
      ? kind === 'org' || kind === 'group'
        ? Inputs.org
        : Inputs.repository
      : kind === 'group' || kind === 'org'
        ? Inputs.groupId
        : Inputs.projectId;
  requireFor(inputs, tokenInput, scopeField);
  return inputs;
}

/** What each command cannot do without: checked here so nothing starts half-way. */
function requireFor(i: RunnerInputs, tokenInput: string, scopeField: string): void {
  const missing = (field: string, why: string) => new UserError(why, { field: `input "${field}"` });
  if (i.command !== 'gc' && !i.token) {
    throw missing(
      tokenInput,
      `is required to ${i.command === 'up' ? 'register' : 'delete'} a ${i.provider} runner`,
    );
  }
  if (i.command === 'up') {
    if (!i.image) throw missing(Inputs.runnerImage, 'is required for `up` (the runner container image)');
  }
  if (!i.scope && (i.command !== 'gc' || i.token)) {
    throw missing(
      scopeField,
      `is required to ${i.command === 'gc' ? 'sweep' : 'manage'} ${i.provider} runners`,
    );
  }
}
