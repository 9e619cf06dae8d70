import { smokeInterface } from '../generated/smoke.js';
import { join } from 'node:path';
import { StepFailure } from '../core/errors.js';
import { defineStep } from '../core/step.js';
import type { Platform } from '../platform/types.js';
import { loadConfigFile } from './configfile.js';
import {
  failedLines,
  renderFigures,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderTable,
} from './report.js';
import { runTarget, type TargetResult } from './run.js';
import { readTarget, type TargetSpec } from './spec.js';
import { getInputs, Inputs, Outputs, type SmokeInputs } from './inputs.js';
import { targetsPerNode } from './swarm.js';
import { round } from './stats.js';

export { Inputs, Outputs };

function setOutputs(
  results: TargetResult[],
  platform: Platform,
  paths: { json: string; junit: string },
): void {
  const sum = (f: (r: TargetResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const requests = sum((r) => r.load.requests);
  const failures = sum((r) => r.load.failures);
  const first = results[0];
  const backends: Record<string, number> = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.load.backends)) backends[k] = (backends[k] ?? 0) + v;
  const ms = (v?: number) => (v === undefined ? '' : String(round(v, 0)));
  platform.setOutput(
    Outputs.passed,
    results.every((r) => r.passed),
  );
  platform.setOutput(Outputs.requests, requests);
  platform.setOutput(Outputs.failures, failures);
  platform.setOutput(Outputs.errorRate, requests ? round(failures / requests, 4) : 0);
  platform.setOutput(Outputs.p50, round(Math.max(...results.map((r) => r.load.p50))));
  platform.setOutput(Outputs.p95, round(Math.max(...results.map((r) => r.load.p95))));
  platform.setOutput(Outputs.p99, round(Math.max(...results.map((r) => r.load.p99))));
  platform.setOutput(Outputs.backends, JSON.stringify(backends));
  platform.setOutput(Outputs.failedChecks, failedLines(results).join('\n'));
  const fo = results.find((r) => r.failover)?.failover ?? first.failover;
  platform.setOutput(Outputs.detectMs, ms(fo?.detectMs));
  platform.setOutput(Outputs.recoverMs, ms(fo?.recoverMs));
  platform.setOutput(Outputs.scaleUpMs, ms(fo?.scaleUp?.ms));
  platform.setOutput(Outputs.reportJson, paths.json);
  platform.setOutput(Outputs.reportJunit, paths.junit);
}

const SECRET_HEADER = /authorization|cookie|token|secret|key|password/i;

/** URL passwords and credential-looking header values never reach a log line or report. */
function maskSecrets(t: TargetSpec, platform: Platform): void {
  if (t.url.password) platform.setSecret(decodeURIComponent(t.url.password));
  for (const [name, value] of Object.entries(t.headers))
    if (SECRET_HEADER.test(name)) platform.setSecret(value);
}

async function main(inputs: SmokeInputs<TargetSpec>, platform: Platform): Promise<void> {
  const given = inputs.targets ?? (await loadConfigFile(inputs.config!, inputs.source));
  const targets: TargetSpec[] = [];
  for (const t of given)
    targets.push(...(t.engine === 'swarm' && t.eachNode ? await targetsPerNode(t) : [t]));
  for (const t of targets) maskSecrets(t, platform);
  const results: TargetResult[] = [];
  for (const t of targets) {
    results.push(await platform.group(`Smoke ${t.name}`, () => runTarget(t, (m) => platform.info(m))));
    platform.info(renderFigures(results[results.length - 1]));
  }
  platform.info(renderTable(results));
  await platform.addSummary(renderMarkdown(results));
  const paths = {
    json: await platform.writeReport('json', join(inputs.reportDir, 'smoke.json'), renderJson(results)),
    junit: await platform.writeReport(
      'junit',
      join(inputs.reportDir, 'smoke-junit.xml'),
      renderJunit(results),
    ),
  };
  setOutputs(results, platform, paths);
  const failed = failedLines(results);
  if (failed.length > 0) {
    for (const line of failed) platform.error(line);
    throw new StepFailure(
      `${failed.length} smoke check(s) failed: ${failed[0]}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}`,
    );
  }
  platform.info(`smoke: all ${results.reduce((n, r) => n + r.checks.length, 0)} checks passed`);
}

export const step = defineStep({
  name: 'smoke',
  summary: 'Prove the load balancer spreads traffic over healthy replicas, fails over and keeps its promises',
  inputs: Inputs,
  interface: smokeInterface,
  outputs: Outputs,
  getInputs: (reader) => getInputs(reader, readTarget),
  main,
  cli: {
    positional: [Inputs.url],
    aliases: { '-n': Inputs.requests, '-c': Inputs.concurrency, '-f': Inputs.config },
    switches: [Inputs.keepAlive, Inputs.fromStack, Inputs.failover, Inputs.failoverDrain, Inputs.tlsInsecure],
    usage:
      '<url> [--requests N] [--concurrency C] [--expect-backends-from-stack --project-name P] | --config smoke.yml',
  },
});
