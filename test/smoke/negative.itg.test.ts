import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { execute } from '../../src/core/run.js';
import { InputReader, inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/smoke/step.js';
import { runTarget } from '../../src/smoke/run.js';
import { readTarget } from '../../src/smoke/spec.js';
import { missingDocker } from '../helpers/host.js';
import { buildImages, down, fixtures, images, project, up } from './stacks.js';
import { tempDir } from '../helpers/tmp.js';

// Stacks built to fail (fixtures/negative): each must fail with the right message.
const skip = missingDocker();
const neg = project('sksmoke-itg-neg', [join(fixtures, 'negative', 'compose.yml')], {
  APP_IMAGE: images.app,
  BAD_LB_IMAGE: images.bad,
  LB_STATIC_PORT: '15402',
  LB_LOCAL_PORT: '15403',
});
const reportDir = () => tempDir('sksmoke-report-');

describe.skipIf(skip)(`smoke on stacks built to fail${skip ? ` — skipped: ${skip}` : ''}`, () => {
  beforeAll(async () => {
    await down(neg);
    await buildImages(['app', 'bad']);
    await up(neg, ['app=3'], ['app', 'app-local'], ['lb-static', 'lb-local']);
  });
  afterAll(async () => {
    await down(neg);
  });

  it('app bound to 127.0.0.1 in its container: the LB answers 502 and the status check fails', async () => {
    const platform = new MemoryPlatform(false);
    const code = await execute(
      step,
      inputsFrom({
        url: 'http://127.0.0.1:15403/',
        name: 'lb-local',
        requests: 20,
        concurrency: 4,
        'ready-timeout': '2s',
        'report-dir': reportDir(),
      }),
      platform,
    );
    expect(code).toBe(1);
    const errors = platform.lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors).toContain(
      'lb-local: status: expected status 200-399, error rate ≤ 0%; seen 20 of 20 failed (100%); statuses: 502 ×20; likely cause: every answer was 502 from the load balancer itself: if the replicas are up, the app probably listens on 127.0.0.1 inside its container, or on another port than the one the load balancer forwards to',
    );
    expect(
      errors.some((e) =>
        /^lb-local: ready: expected status 200-399 within 2000 ms; seen still not ready after \d+ ms, last answer: status 502$/.test(
          e,
        ),
      ),
    ).toBe(true);
    expect(errors.at(-1)).toMatch(/^\d smoke check\(s\) failed: lb-local: ready/);
    expect(platform.outputs.get('passed')).toBe('false');
  });

  it('same stack, replicas known: their containers are healthy, so the cause is said plainly', async () => {
    const t = readTarget(
      new InputReader(
        inputsFrom({
          url: 'http://127.0.0.1:15403/',
          requests: 10,
          concurrency: 2,
          'ready-timeout': '1s',
          'expect-backends-from-stack': 'true',
          'project-name': neg.name,
          service: 'app-local',
        }),
      ),
    );
    // The app's own healthcheck probes 127.0.0.1 inside the container, so Docker calls it healthy.
    let r = await runTarget(t);
    for (let i = 0; i < 30 && /starting/.test(r.checks.find((c) => c.name === 'status')!.seen); i++) {
      await new Promise((done) => setTimeout(done, 1000));
      r = await runTarget(t);
    }
    expect(r.checks.find((c) => c.name === 'status')!.seen).toBe(
      '10 of 10 failed (100%); statuses: 502 ×10; likely cause: the load balancer reached no replica although all 1 containers are healthy: the app probably listens on 127.0.0.1 inside its container, or on another port than the one the load balancer forwards to',
    );
  });

  it('static upstream that blanks X-Test and adds no X-NAME: both header checks fail, balancing passes', async () => {
    const t = readTarget(
      new InputReader(
        inputsFrom({
          url: 'http://127.0.0.1:15402/',
          requests: 30,
          concurrency: 3,
          'ready-timeout': '30s',
          'forward-headers': 'X-Test=smoke',
          'proxy-headers': 'X-NAME: lb-nginx',
        }),
      ),
    );
    const r = await runTarget(t);
    const failed = Object.fromEntries(
      r.checks.filter((c) => !c.passed).map((c) => [c.name, `expected ${c.expected}; seen ${c.seen}`]),
    );
    expect(failed).toEqual({
      'forwarded x-test':
        'expected request header x-test: smoke reaches the backend (echoed in "headers"); seen missing or different on 30 of 30 responses',
      'proxy adds x-name':
        'expected the proxy adds x-name: lb-nginx (echoed in "headers"); seen missing or different on 30 of 30 responses',
    });
    expect(r.checks.find((c) => c.name === 'distinct backends')?.passed).toBe(true);
  });

  it('static upstream resolved once at start: a scaled-up replica gets no traffic and is named', async () => {
    const t = readTarget(
      new InputReader(
        inputsFrom({
          url: 'http://127.0.0.1:15402/',
          requests: 30,
          concurrency: 3,
          failover: 'true',
          'failover-timeout': '3s',
          'project-name': neg.name,
          'compose-files': neg.files.join(','),
          'env-file': neg.envFile,
        }),
      ),
    );
    const r = await runTarget(t);
    const scale = r.checks.find((c) => c.name === 'failover: scaled-up replica gets traffic')!;
    expect(scale.passed).toBe(false);
    const added = r.failover!.scaleUp!;
    expect(added.name).toMatch(/^sksmoke-itg-neg[_-]app[_-]4$/);
    expect(scale.seen).toMatch(
      new RegExp(
        `^${added.name} \\(${added.hostname}\\) got no traffic in 3000 ms \\(upstream list frozen at start\\?\\)`,
      ),
    );
    expect(r.failover!.scaleUp!.ms).toBeUndefined();
  });
});
