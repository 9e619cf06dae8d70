// The stack rules' bad fixtures really fail on the engine and the good ones pass: each fixture is
// linted, built FROM the local base image, started with compose and smoke-tested through its LB.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputsFrom } from '../../../src/core/inputs.js';
import { execute } from '../../../src/core/run.js';
import { compose, type ComposeProject } from '../../../src/docker/cli.js';
import { MemoryPlatform } from '../../../src/platform/memory.js';
import { step as smoke } from '../../../src/smoke/step.js';
import { hostFacts, missingDocker } from '../../helpers/host.js';
import { check, FIXTURES, hits } from './helpers.js';

const skip = missingDocker();
const temp = mkdtempSync(join(tmpdir(), 'sklintstack-engine-'));
const started: ComposeProject[] = [];

afterAll(async () => {
  for (const p of started)
    await compose(p, ['down', '-v', '--remove-orphans', '--rmi', 'local', '-t', '2'], {
      check: false,
      timeoutMs: 60_000,
    });
  rmSync(temp, { recursive: true, force: true });
});

/** Builds and starts a fixture stack with `replicas` of app; the LB on `port`. */
async function start(
  fixture: string,
  port: number,
  replicas: number,
): Promise<ComposeProject & { envFile: string }> {
  const base = hostFacts()?.baseImage ?? 'shipkit/base:bookworm';
  const envFile = join(temp, `${fixture.replace('/', '-')}.env`);
  writeFileSync(envFile, `NODE_IMAGE=${base}\nNGINX_IMAGE=${base}\nLB_PORT=${port}\n`);
  const p = {
    name: `sklintstack-${fixture.replace('/', '-').toLowerCase()}`,
    files: [join(FIXTURES, fixture, 'compose.yml')],
    envFiles: [envFile],
    envFile,
  };
  started.push(p);
  await compose(p, ['build', '-q'], { timeoutMs: 180_000 }).catch(() =>
    compose(p, ['build'], { timeoutMs: 180_000 }),
  );
  await compose(p, ['up', '-d', '--scale', `app=${replicas}`], { timeoutMs: 150_000 });
  return p;
}

async function smokeRun(inputs: Record<string, string | number>) {
  const platform = new MemoryPlatform(false);
  const code = await execute(
    smoke,
    inputsFrom({
      requests: 20,
      concurrency: 2,
      'ready-timeout': '40s',
      'report-dir': mkdtempSync(join(temp, 'report-')),
      ...inputs,
    }),
    platform,
  );
  return { code, errors: platform.lines.filter((l) => l.level === 'error').map((l) => l.message) };
}

describe.skipIf(skip)(`SK rules shown on the real engine${skip ? ` — skipped: ${skip}` : ''}`, () => {
  it('SK1001: the app bound to 127.0.0.1 — lint catches it, smoke sees 502; the good stack passes both', async () => {
    expect(hits(check(join(FIXTURES, 'SK1001', 'bad')))).toEqual([['SK1001', 'compose.yml', 8]]);
    expect(hits(check(join(FIXTURES, 'SK1001', 'good')))).toEqual([]);
    await start('SK1001/bad', 15461, 1);
    await start('SK1001/good', 15462, 1);
    const bad = await smokeRun({ url: 'http://127.0.0.1:15461/', 'ready-timeout': '5s' });
    expect(bad.code).toBe(1);
    expect(bad.errors.join('\n')).toMatch(/statuses: 502/);
    const good = await smokeRun({ url: 'http://127.0.0.1:15462/' });
    expect(good.errors).toEqual([]);
    expect(good.code).toBe(0);
  }, 400_000);

  it('SK2001: nginx resolving the app once — lint catches it, the scaled-up replica gets no traffic; the good stack passes', async () => {
    expect(hits(check(join(FIXTURES, 'SK2001', 'bad')))).toEqual([['SK2001', 'lb/nginx.conf', 7]]);
    expect(hits(check(join(FIXTURES, 'SK2001', 'good')))).toEqual([]);
    const bad = await start('SK2001/bad', 15463, 2);
    const good = await start('SK2001/good', 15464, 2);
    const drill = (p: typeof bad, port: number) =>
      smokeRun({
        url: `http://127.0.0.1:${port}/`,
        requests: 30,
        failover: 'true',
        'failover-timeout': '12s',
        'failover-max-errors': 5,
        'project-name': p.name,
        'compose-files': p.files.join(','),
        'env-file': p.envFile,
      });
    const b = await drill(bad, 15463);
    expect(b.code).toBe(1);
    expect(b.errors.join('\n')).toMatch(
      /failover: scaled-up replica gets traffic.*got no traffic in 12000 ms/,
    );
    const g = await drill(good, 15464);
    expect(g.errors).toEqual([]);
    expect(g.code).toBe(0);
  }, 600_000);
});
