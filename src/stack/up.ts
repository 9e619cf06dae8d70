import { dirname } from 'node:path';
import { ExecError } from '../core/exec.js';
import { StepFailure, UserError } from '../core/errors.js';
import { docker } from '../docker/cli.js';
import type { Platform } from '../platform/types.js';
import { tailLog } from './logs.js';
import { checkServices, type ComposeModel } from './model.js';
import { renderOverride } from './override.js';
import { planBuild, planConfig, planUp } from './plan.js';
import { collectLogs, runCompose, sessionModel, teardown, writeOverride, type Session } from './session.js';
import type { ServiceState } from './status.js';
import { removeStackTempDir } from './temp.js';
import { waitForStack, type UpPhase, type WaitResult } from './wait.js';

/** Validates the files and inputs in process, then writes the override. */
async function prepare(s: Session, platform: Platform): Promise<ComposeModel> {
  const model = await sessionModel(s, true);
  checkServices(model, Object.keys(s.inputs.scale), 'scale');
  checkServices(model, Object.keys(s.inputs.images), 'images');
  const created = Math.floor(Date.now() / 1000);
  const { project, owner, images } = s.inputs;
  await writeOverride(s, renderOverride({ model, project, owner, created, images }));
  platform.debug(`override file: ${s.overrideFile}`);
  return model;
}

/** `compose config --services`: compose's own validation; the services the profiles enable. */
async function checkConfig(s: Session): Promise<string[]> {
  const config = await runCompose(s, planConfig(), { check: false });
  if (config.code !== 0) {
    const msg = config.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exited ${config.code}`;
    throw new UserError(`compose rejects the configuration: ${msg.replace(/^ERROR:\s*/, '')}`, {
      file: s.display.join(', '),
    });
  }
  return config.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Makes sure the given images are here (pulling them if not), and builds the rest if asked. */
async function images(s: Session, model: ComposeModel, active: string[], platform: Platform): Promise<void> {
  for (const [service, ref] of Object.entries(s.inputs.images)) {
    if (!active.includes(service)) continue;
    const here = await docker(['image', 'inspect', '--format', '{{.Id}}', ref], { check: false });
    if (here.code === 0) continue;
    platform.info(`Pulling ${ref} for service ${service}`);
    const pull = await docker(['pull', '-q', ref], { check: false });
    if (pull.code !== 0) {
      throw new StepFailure(
        `service ${service}: image ${ref} is neither here nor pullable: ${pull.stderr.trim().split('\n').at(-1) ?? ''}`,
      );
    }
  }
  const toBuild = active.filter((n) => model.services.get(n)?.build && !s.inputs.images[n]);
  if (s.inputs.build && toBuild.length) {
    await platform.group(`Build ${toBuild.join(', ')}`, async () => {
      await runCompose(s, planBuild(s.cmd, toBuild), {
        onStdout: (l) => platform.debug(l),
        onStderr: (l) => platform.debug(l),
      });
    });
  }
}

/** The service named in a compose error line such as `ERROR: for lb  Cannot start service lb: …`. */
export function serviceInComposeError(text: string): string | undefined {
  return (
    /(?:ERROR: for|Cannot start service|Error response from daemon.*?container for service) ([\w.-]+)/.exec(
      text,
    )?.[1] ?? /Container ([\w.-]+?)(?:[-_]\d+)?\s+Error/.exec(text)?.[1]
  );
}

/** The useful part of compose's error output: the daemon's reason, a taken port said plainly. */
export function composeCause(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line =
    lines
      .filter((l) => /^ERROR: for /.test(l) || /Error response|error/i.test(l))
      .filter((l) => !/^Encountered errors/.test(l))
      .at(-1) ??
    lines.at(-1) ??
    '';
  const port =
    /(?:listen tcp[46]? |Bind for )([\d.:[\]]+?:\d+)(?:: bind)?.*(?:address already in use|port is already allocated)/.exec(
      line,
    );
  if (port) return `host port ${port[1]} is already in use`;
  return line.replace(/^ERROR: for \S+\s+/, '').replace(/^ERROR:\s*/, '');
}

/** Prints the last log lines and exit codes of the failing services (all when none is named). */
async function showFailing(
  s: Session,
  states: ServiceState[],
  names: string[],
  platform: Platform,
): Promise<void> {
  const failing = states.filter((st) => names.length === 0 || names.includes(st.service));
  for (const st of failing) {
    for (const c of st.containers) {
      await platform.group(
        `Last ${s.inputs.logLines} log lines of ${c.name} (service ${st.service}, ${c.phase}, exit code ${c.exitCode})`,
        async () => {
          const lines = await tailLog(c.id, s.inputs.logLines);
          for (const line of lines) platform.info(line);
          if (!lines.length) platform.info('(no output)');
        },
      );
    }
  }
}

/**
 * `up`: validate, write the override, start the stack and wait for it, streaming progress. On any
 * failure it prints the failing services' logs, saves all logs, tears everything down and throws
 * a `StepFailure` naming the service and why. Returns the ready services' states.
 */
export async function up(s: Session, platform: Platform, signal: AbortSignal): Promise<ServiceState[]> {
  const dropOverride = async (err: unknown): Promise<never> => {
    await removeStackTempDir(dirname(s.overrideFile));
    throw err;
  };
  const model = await platform
    .group('Validate the compose files', () => prepare(s, platform))
    .catch(dropOverride);
  // The model came from compose's own `config` of the user's files, so compose has validated them;
  // only when `up` fails with nothing created does `config` run again (with the override), to report
  // compose's reason as a configuration error.
  const active = activeServices(model, s.inputs.profiles);
  const expected = new Map(active.map((n) => [n, s.inputs.scale[n] ?? 1]));
  let phase: UpPhase = 'running';
  let upError = '';
  const upAbort = new AbortController();
  signal.addEventListener('abort', () => upAbort.abort());
  let result: WaitResult | undefined;
  try {
    await images(s, model, active, platform);
    const tool = s.cmd.version === 2 ? 'docker compose' : 'docker-compose';
    await platform.group(`Start ${s.inputs.project} (${tool})`, async () => {
      const started = runCompose(s, planUp(s.cmd, { scale: s.inputs.scale, noBuild: s.inputs.build }), {
        signal: upAbort.signal,
        onStderr: (l) => platform.info(l),
        onStdout: (l) => platform.info(l),
      }).then(
        () => void (phase = 'done'),
        (err: unknown) => {
          phase = 'failed';
          upError = err instanceof ExecError ? err.result.stderr : String(err);
        },
      );
      result = await waitForStack({
        project: s.inputs.project,
        expected,
        timeoutMs: s.inputs.timeoutMs,
        readyUrl: s.inputs.readyUrl,
        platform,
        upPhase: () => phase,
        upSettled: started,
        signal,
      });
      if (!result.ok) upAbort.abort();
      await started;
    });
    if ((phase as UpPhase) === 'failed' && result?.states.every((st) => st.containers.length === 0)) {
      await checkConfig(s);
    }
  } catch (err: unknown) {
    upAbort.abort();
    await collectLogs(s, platform);
    await teardown(s, platform, { fast: true });
    throw err;
  }
  if (result?.ok) return result.states;
  throw await failUp(s, platform, result, upError);
}

/** The services compose will start: those without `profiles:` or with one of the enabled profiles. */
export function activeServices(model: ComposeModel, profiles: readonly string[]): string[] {
  return [...model.services.values()]
    .filter((sv) => sv.profiles.length === 0 || sv.profiles.some((p) => profiles.includes(p)))
    .map((sv) => sv.name);
}

async function failUp(
  s: Session,
  platform: Platform,
  result: WaitResult | undefined,
  upError: string,
): Promise<StepFailure> {
  const states = result?.states ?? [];
  let why = result && !result.ok ? result.why : 'interrupted';
  let failing = result && !result.ok ? result.failing : [];
  if (upError) {
    const named = serviceInComposeError(upError);
    // v2 names containers <project>-<service>-<n>: map a container prefix back to its service.
    const service =
      states.find(
        (st) => st.service === named || st.containers.some((c) => named && c.name.startsWith(named)),
      )?.service ?? named;
    if (!failing.length && service) failing = [service];
    if (why === 'compose up failed')
      why = `${service ? `service ${service}: ` : ''}compose up failed: ${composeCause(upError)}`;
  }
  await showFailing(s, states, failing, platform);
  await collectLogs(s, platform);
  await teardown(s, platform, { fast: true });
  return new StepFailure(`stack ${s.inputs.project} did not come up: ${why} (logs in ${s.logsDir})`);
}
