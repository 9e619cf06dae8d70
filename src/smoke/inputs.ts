import { InputReader } from '../core/inputs.js';
import { stepReader } from '../core/interface.js';
import { smokeInterface } from '../generated/smoke.js';
import { processEnv, runContext, type Env } from '../platform/context.js';
import type { InputSource } from '../platform/types.js';
import { projectName } from '../docker/project.js';

/** Input names of the smoke step, exactly as in actions/smoke/action.yml (also the YAML file keys). */
export const Inputs = {
  config: 'config',
  url: 'url',
  name: 'name',
  method: 'method',
  requests: 'requests',
  concurrency: 'concurrency',
  keepAlive: 'keep-alive',
  timeout: 'timeout',
  readyTimeout: 'ready-timeout',
  headers: 'headers',
  expectStatus: 'expect-status',
  maxErrorRate: 'max-error-rate',
  maxP50: 'max-p50',
  maxP95: 'max-p95',
  maxP99: 'max-p99',
  backendHeader: 'backend-header',
  backendJson: 'backend-json',
  backendRegex: 'backend-regex',
  minBackends: 'min-backends',
  maxImbalance: 'max-imbalance',
  expectBackends: 'expect-backends',
  fromStack: 'expect-backends-from-stack',
  projectName: 'project-name',
  service: 'service',
  composeFiles: 'compose-files',
  projectDirectory: 'project-directory',
  envFile: 'env-file',
  responseHeaders: 'expect-response-headers',
  forwardHeaders: 'forward-headers',
  proxyHeaders: 'proxy-headers',
  echoField: 'echo-field',
  tlsCa: 'tls-ca',
  tlsServername: 'tls-servername',
  tlsMinDays: 'tls-min-days',
  tlsMinDaysChain: 'tls-min-days-chain',
  tlsMinVersion: 'tls-min-version',
  tlsInsecure: 'tls-insecure',
  stickyRequests: 'sticky-requests',
  stickyCookie: 'sticky-cookie',
  failover: 'failover',
  failoverTimeout: 'failover-timeout',
  failoverMaxErrors: 'failover-max-errors',
  failoverScaleUp: 'failover-scale-up',
  failoverDrain: 'failover-drain',
  engine: 'engine',
  eachNode: 'each-node',
  reportDir: 'report-dir',
} as const;

export const Outputs = {
  passed: 'passed',
  requests: 'requests',
  failures: 'failures',
  errorRate: 'error-rate',
  p50: 'p50-ms',
  p95: 'p95-ms',
  p99: 'p99-ms',
  backends: 'backends',
  failedChecks: 'failed-checks',
  detectMs: 'failover-detect-ms',
  recoverMs: 'failover-recover-ms',
  scaleUpMs: 'scale-up-ms',
  reportJson: 'report-json',
  reportJunit: 'report-junit',
} as const;

/** `T` is spec.ts's TargetSpec (a parameter, so this module imports nothing back from spec.ts). */
export interface SmokeInputs<T> {
  /** Targets from inputs (one) or from the config file (read in main: it is a file). */
  targets?: T[];
  config?: string;
  /** The inputs (with their environment fallback), beneath every target of the config file. */
  source: InputSource;
  reportDir: string;
}

/**
 * In CI, the project `shipkit stack up` gave the stack in this same job (its default name is fixed
 * by the run and job ids), so a GitLab job can run `stack up` then `smoke` without passing it: the
 * environment fallback of `project-name`, read here and nowhere below.
 */
function sameJobStackProject(env: Env): string | undefined {
  const ctx = runContext(env);
  return ctx.ci === 'local' ? undefined : projectName(ctx, 'shipkit');
}

/**
 * Reads the step's inputs. Each target is read by `readTarget` (src/smoke/spec.ts, passed in so this
 * module does not import it back), which applies the defaults of actions/smoke/action.yml.
 */
export function getInputs<T>(
  r: InputReader,
  readTarget: (reader: InputReader) => T,
  env: Env = processEnv(),
): SmokeInputs<T> {
  const config = r.optional(Inputs.config);
  const source: InputSource = {
    get: (name) => r.optional(name) ?? (name === Inputs.projectName ? sameJobStackProject(env) : undefined),
  };
  const reportDir = stepReader(new InputReader(source), smokeInterface).string(Inputs.reportDir);
  if (config) return { config, source, reportDir };
  return { targets: [readTarget(new InputReader(source))], source, reportDir };
}
