import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { defineStep } from '../core/step.js';
import { UserError } from '../core/errors.js';
import type { InputReader } from '../core/inputs.js';
import type { Platform } from '../platform/types.js';
import { processEnv, runContext, type Env } from '../platform/context.js';
import type { SmokeRunner } from '../smoke/api.js';
import { COMMANDS, runCommand, statusText, type Command } from './commands.js';
import type { CommandOptions, Ctx, Deps } from './context.js';
import { githubDeployments, type DeploymentSettings } from './deployments.js';
import { lbHost } from './lb.js';
import { backendsFor } from './backends.js';
import { dockerEndpoint } from '../docker/api.js';
import { HAPROXY_SLOTS, type AppSettings, type SwarmSettings } from './plan.js';
import { runSmoke } from '../smoke/index.js';
import {
  checkBindAddress,
  checkImage,
  checkPath,
  checkSnippet,
  checkStateDir,
  checkText,
  envPairs,
  testSnippet,
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
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,40}$/;

/** Reads and validates every input; the only place with defaults. */
export function getInputs(r: InputReader, env: Env = processEnv()): BlueGreenInputs {
  const command = r.choice(Inputs.command, COMMANDS, 'status');
  const name = r.string(Inputs.name, 'app');
  if (!NAME.test(name)) {
    throw new UserError(`expected lower-case letters, digits, - or _ (max 41), got "${name}"`, {
      field: 'input "name"',
    });
  }
  const engine = r.choice(Inputs.engine, ['compose', 'swarm'] as const, 'compose');
  const lb = r.choice(Inputs.lb, ['nginx', 'haproxy'] as const, engine === 'swarm' ? 'haproxy' : 'nginx');
  const port = r.int(Inputs.port, 8080, { min: 1, max: 65535 });
  const previewPort = r.int(Inputs.previewPort, port + 1, { min: 1, max: 65535 });
  if (previewPort === port)
    throw new UserError('must differ from input "port"', { field: 'input "preview-port"' });
  const bindAddress = checkBindAddress(Inputs.bindAddress, r.string(Inputs.bindAddress, '0.0.0.0'));
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
    replicas: r.int(Inputs.replicas, 2, { min: 1, max: HAPROXY_SLOTS }),
    port,
    previewPort,
    bindAddress,
    appPort: r.int(Inputs.appPort, 3000, { min: 1, max: 65535 }),
    healthPath: checkPath(Inputs.healthPath, r.string(Inputs.healthPath, '/healthz')),
    healthcheckTimeoutMs: r.optional(Inputs.healthcheckTimeout)
      ? r.duration(Inputs.healthcheckTimeout, 0, { positive: true })
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
    autoPromote: r.bool(Inputs.autoPromote, false),
    allowRedeploy: r.bool(Inputs.allowRedeploy, true),
    given: {
      port: r.optional(Inputs.port) !== undefined,
      previewPort: r.optional(Inputs.port) !== undefined || r.optional(Inputs.previewPort) !== undefined,
      bindAddress: r.optional(Inputs.bindAddress) !== undefined,
      lb: r.optional(Inputs.lb) !== undefined,
    },
    scaleDownDelayMs: r.duration(Inputs.scaleDownDelay, 10 * 60_000),
    healthTimeoutMs: r.duration(Inputs.healthTimeout, 120_000, { positive: true }),
    lockTimeoutMs: r.duration(Inputs.lockTimeout, 300_000),
    smokeRequests: r.int(Inputs.smokeRequests, 20, { min: 1, max: 10_000 }),
    smokePath: checkPath(Inputs.smokePath, r.string(Inputs.smokePath, '/')),
    environment: r.string(Inputs.environment, 'production'),
    format: r.choice(Inputs.format, ['text', 'json'] as const, 'text'),
  };
  if (command === 'deploy' && !options.image)
    throw new UserError('is required for deploy', { field: 'input "image"' });
  const token = r.optional(Inputs.githubToken);
  const ctx = runContext(env);
  const github: DeploymentSettings | undefined = token
    ? {
        token,
        repository: ctx.repository,
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        ref: ctx.sha || ctx.branch || 'main',
        environment: options.environment,
        environmentUrl: r.string(Inputs.environmentUrl, `http://${lbHost(settings)}:${port}/`),
        logUrl: ctx.runUrl,
        inJob: ctx.ci === 'github',
      }
    : undefined;
  return { command, settings, options, github };
}

/**
 * `engine: swarm`: the manager from `DOCKER_HOST`, the per-node control port and the publish mode.
 * nginx has no runtime routing API a remote switch could use, so Swarm takes HAProxy only.
 */
function swarmSettings(r: InputReader, env: Env, s: AppSettings): SwarmSettings {
  if (s.lb !== 'haproxy')
    throw new UserError('engine swarm runs HAProxy only (nginx cannot be switched at runtime per node)', {
      field: 'input "lb"',
    });
  if (s.lbSnippet.length)
    throw new UserError('is not supported with engine swarm (a bad line would stop the LB on every node)', {
      field: 'input "lb-snippet"',
    });
  const endpoint = dockerEndpoint(env.DOCKER_HOST, env.DOCKER_TLS_VERIFY);
  const controlPort = r.int(Inputs.controlPort, s.previewPort + 1, { min: 1, max: 65535 });
  if (controlPort === s.port || controlPort === s.previewPort)
    throw new UserError('must differ from inputs "port" and "preview-port"', {
      field: 'input "control-port"',
    });
  return {
    dockerHost: endpoint.label,
    publicHost: endpoint.host ?? '127.0.0.1',
    controlPort,
    publishMode: r.choice(Inputs.publishMode, ['ingress', 'host'] as const, 'ingress'),
  };
}

/** Runs a command; smoke tests go through the smoke step's `runSmoke` unless a test passes its own. */
export async function runBlueGreen(
  inputs: BlueGreenInputs,
  platform: Platform,
  smoke: SmokeRunner = runSmoke,
  env: Env = processEnv(),
): Promise<void> {
  if (inputs.github) platform.setSecret(inputs.github.token);
  const deps: Deps = {
    smoke,
    deployments: githubDeployments(inputs.github),
    pause: env.SHIPKIT_BLUEGREEN_TEST_PAUSE,
  };
  const ctx = runContext(env);
  const c: Ctx = {
    s: inputs.settings,
    o: inputs.options,
    platform,
    deps,
    ...backendsFor(inputs.settings, (line) => platform.warning(line)),
    by: ctx.actor ?? userInfo().username,
  };
  const s = inputs.settings;
  const host = lbHost(s);
  platform.setOutput(Outputs.url, `http://${host}:${s.port}/`);
  platform.setOutput(Outputs.previewUrl, `http://${host}:${s.previewPort}/`);
  // lb-snippet is raw config: the LB's own test passes before any command changes anything.
  if (!['status', 'destroy', 'abort'].includes(inputs.command))
    await testSnippet(inputs.settings, Inputs.lbSnippet);
  const r = await runCommand(c, inputs.command);
  platform.setOutput(Outputs.liveColour, r.live ?? '');
  platform.setOutput(Outputs.idleColour, r.idle);
  platform.setOutput(Outputs.liveVersion, r.liveVersion);
  platform.setOutput(Outputs.previousColour, r.previous ?? '');
  platform.setOutput(Outputs.switchMs, r.switchMs ?? '');
  platform.setOutput(Outputs.status, JSON.stringify(r.status));
  if (inputs.command === 'status') {
    platform.info(
      inputs.options.format === 'json' ? JSON.stringify(r.status, null, 2) : statusText(r.status),
    );
  }
}

export const step = defineStep({
  name: 'blue-green',
  summary: 'Deploy to the idle colour, smoke-test it, promote by hand, roll back in seconds, abort, status',
  inputs: Inputs,
  outputs: Outputs,
  getInputs: (reader) => getInputs(reader),
  main: (inputs, platform) => runBlueGreen(inputs, platform),
  cli: {
    positional: [Inputs.command],
    aliases: { '-i': Inputs.image, '-n': Inputs.name },
    switches: [Inputs.autoPromote],
    usage:
      'deploy|promote|rollback|abort|status|destroy [--image ref] [--name app] [--lb nginx|haproxy] [options]',
  },
});
