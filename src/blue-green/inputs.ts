import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { InputReader } from '../core/inputs.js';
import { stepReader, type StepReader } from '../core/interface.js';
import { blueGreenInterface } from '../generated/blue-green.js';
import { GITHUB_API, processEnv, runContext, type Env } from '../platform/context.js';
import { type Command } from './commands.js';
import type { CommandOptions } from './context.js';
import type { DeploymentSettings } from './deployments.js';
import { lbHost } from './lb.js';
import { HAPROXY_SLOTS, type AppSettings, type SwarmSettings } from './plan.js';
import { dockerEndpoint } from '../docker/api.js';
import { SUMMARY_FILE } from './summary.js';
import {
  APP_NAME,
  checkBindAddress,
  checkImage,
  checkPath,
  checkSnippet,
  checkStateDir,
  checkText,
  envPairs,
} from './validate.js';

export const Inputs = {
  command: 'command',
  name: 'name',
  image: 'image',
  version: 'version',
  replicas: 'replicas',
  lb: 'lb',
  lbImage: 'lb-image',
  port: 'port',
  previewPort: 'preview-port',
  bindAddress: 'bind-address',
  appPort: 'app-port',
  healthPath: 'health-path',
  smokePath: 'smoke-path',
  smokeRequests: 'smoke-requests',
  env: 'env',
  lbSnippet: 'lb-snippet',
  stateDir: 'state-dir',
  healthTimeout: 'health-timeout',
  healthcheckTimeout: 'healthcheck-timeout',
  lockTimeout: 'lock-timeout',
  scaleDownDelay: 'scale-down-delay',
  autoPromote: 'auto-promote',
  allowRedeploy: 'allow-redeploy',
  format: 'format',
  summaryFile: 'summary-file',
  githubToken: 'github-token',
  environment: 'environment',
  environmentUrl: 'environment-url',
  engine: 'engine',
  controlPort: 'control-port',
  publishMode: 'publish-mode',
} as const;

export const Outputs = {
  liveColour: 'live-colour',
  idleColour: 'idle-colour',
  liveVersion: 'live-version',
  previousColour: 'previous-colour',
  url: 'url',
  previewUrl: 'preview-url',
  switchMs: 'switch-ms',
  status: 'status',
} as const;

export interface BlueGreenInputs {
  command: Command;
  settings: AppSettings;
  options: CommandOptions;
  github?: DeploymentSettings;
  /** Where the Markdown summary goes; `given` when the user chose the file (on GitHub only then is a file written). */
  summary: { file: string; given: boolean };
  /** Who runs the command (CI actor, else the local user), recorded in the state history and lock. */
  by: string;
}

/**
 * Reads and validates every input. Defaults are those of actions/blue-green/action.yml (through the
 * generated interface); the ones that depend on another input are computed here: `lb-image` (the image
 * that matches `lb`), `preview-port` (port + 1), `state-dir` (per app name), `environment-url`.
 */
export function getInputs(reader: InputReader, env: Env = processEnv()): BlueGreenInputs {
  const r = stepReader(reader, blueGreenInterface);
  const command = r.choice(Inputs.command);
  const name = r.string(Inputs.name);
  if (!APP_NAME.test(name)) {
    throw new UserError(`expected lower-case letters, digits, - or _ (max 41), got "${name}"`, {
      field: 'input "name"',
    });
  }
  const engine = r.choice(Inputs.engine);
  const lb = r.choice(Inputs.lb, engine === 'swarm' ? 'haproxy' : 'nginx');
  const port = r.int(Inputs.port, { min: 1, max: 65535 });
  const previewPort = r.int(Inputs.previewPort, { min: 1, max: 65535 }, port + 1);
  if (previewPort === port)
    throw new UserError('must differ from input "port"', { field: 'input "preview-port"' });
  const bindAddress = checkBindAddress(Inputs.bindAddress, r.string(Inputs.bindAddress));
  const image = r.optional(Inputs.image);
  const version = r.optional(Inputs.version);
  // Every value below that lands in a compose file or an LB config is checked against its grammar here.
  if (image !== undefined) checkImage(Inputs.image, image);
  if (version !== undefined) checkText(Inputs.version, version);
  const settings: AppSettings = {
    name,
    lb,
    lbImage: checkImage(
      Inputs.lbImage,
      r.string(Inputs.lbImage, lb === 'nginx' ? 'nginx:alpine' : 'haproxy:lts-alpine'),
    ),
    replicas: r.int(Inputs.replicas, { min: 1, max: HAPROXY_SLOTS }),
    port,
    previewPort,
    bindAddress,
    appPort: r.int(Inputs.appPort, { min: 1, max: 65535 }),
    healthPath: checkPath(Inputs.healthPath, r.string(Inputs.healthPath)),
    healthcheckTimeoutMs: r.optional(Inputs.healthcheckTimeout)
      ? r.duration(Inputs.healthcheckTimeout, { positive: true })
      : undefined,
    env: envPairs(Inputs.env, r.raw(Inputs.env)),
    lbSnippet: checkSnippet(Inputs.lbSnippet, r.lines(Inputs.lbSnippet)),
    engine,
    stateDir: checkStateDir(
      Inputs.stateDir,
      resolve(r.string(Inputs.stateDir, `/var/lib/shipkit/bluegreen/${name}`)),
    ),
  };
  if (engine === 'swarm') settings.swarm = swarmSettings(r, env, settings);
  const options: CommandOptions = {
    image,
    version,
    autoPromote: r.bool(Inputs.autoPromote),
    allowRedeploy: r.bool(Inputs.allowRedeploy),
    given: {
      port: r.isGiven(Inputs.port),
      previewPort: r.isGiven(Inputs.port) || r.isGiven(Inputs.previewPort),
      bindAddress: r.isGiven(Inputs.bindAddress),
      lb: r.isGiven(Inputs.lb),
    },
    scaleDownDelayMs: r.duration(Inputs.scaleDownDelay),
    healthTimeoutMs: r.duration(Inputs.healthTimeout, { positive: true }),
    lockTimeoutMs: r.duration(Inputs.lockTimeout),
    smokeRequests: r.int(Inputs.smokeRequests, { min: 1, max: 10_000 }),
    smokePath: checkPath(Inputs.smokePath, r.string(Inputs.smokePath)),
    environment: r.string(Inputs.environment),
    format: r.choice(Inputs.format),
  };
  if (command === 'deploy' && !options.image)
    throw new UserError('is required for deploy', { field: 'input "image"' });
  // summary-file is computed: no file on GitHub (the job summary) unless given, else SUMMARY_FILE.
  const summaryFile = r.optional(Inputs.summaryFile);
  if (summaryFile !== undefined) checkText(Inputs.summaryFile, summaryFile);
  const token = r.optional(Inputs.githubToken);
  const ctx = runContext(env);
  const github: DeploymentSettings | undefined = token
    ? {
        token,
        repository: ctx.repository,
        apiUrl: ctx.apiUrl ?? GITHUB_API,
        ref: ctx.sha || ctx.branch || 'main',
        environment: options.environment,
        environmentUrl: r.string(Inputs.environmentUrl, `http://${lbHost(settings)}:${port}/`),
        logUrl: ctx.runUrl,
        inJob: ctx.ci === 'github',
      }
    : undefined;
  return {
    command,
    settings,
    options,
    github,
    summary: { file: summaryFile || SUMMARY_FILE, given: !!summaryFile },
    by: ctx.actor ?? userInfo().username,
  };
}

/**
 * `engine: swarm`: the manager from `DOCKER_HOST`, the per-node control port and the publish mode.
 * Both load balancers run (HAProxy stays the default there, as before nginx was supported).
 */
function swarmSettings(r: StepReader<typeof blueGreenInterface>, env: Env, s: AppSettings): SwarmSettings {
  if (s.lbSnippet.length)
    throw new UserError('is not supported with engine swarm (a bad line would stop the LB on every node)', {
      field: 'input "lb-snippet"',
    });
  const endpoint = dockerEndpoint(env.DOCKER_HOST, env.DOCKER_TLS_VERIFY);
  const controlPort = r.int(Inputs.controlPort, { min: 1, max: 65535 }, s.previewPort + 1);
  if (controlPort === s.port || controlPort === s.previewPort)
    throw new UserError('must differ from inputs "port" and "preview-port"', {
      field: 'input "control-port"',
    });
  return {
    dockerHost: endpoint.label,
    publicHost: endpoint.host ?? endpoint.ssh?.host ?? '127.0.0.1',
    controlPort,
    publishMode: r.choice(Inputs.publishMode),
  };
}
