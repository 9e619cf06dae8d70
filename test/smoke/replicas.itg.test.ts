import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execute } from '../../src/core/run.js';
import { inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/smoke/step.js';
import { missingDocker } from '../helpers/host.js';
import { buildImages, down, fixtures, images, project, up } from './stacks.js';
import { tempDir } from '../helpers/tmp.js';

// Issue 12, item 7, on the real engine: nginx round robin over three replicas, one of which
// (app-c, fixtures/flaky) answers 500 on every second request. Smoke must name it.
const skip = missingDocker();
const flaky = project('sksmoke-itg-flaky', [join(fixtures, 'flaky', 'compose.yml')], {
  APP_IMAGE: images.app,
  BAD_LB_IMAGE: images.bad,
  LB_PORT: '17081',
});

describe.skipIf(skip)(`smoke names the failing replica${skip ? ` — skipped: ${skip}` : ''}`, () => {
  beforeAll(async () => {
    await down(flaky);
    await buildImages(['app', 'bad']);
    await up(flaky, [], ['app-a', 'app-b', 'app-c'], ['lb']);
  });
  afterAll(async () => {
    await down(flaky);
  });

  it('one replica of three fails every second request: counted per backend and named', async () => {
    const platform = new MemoryPlatform(false);
    const reportDir = tempDir('sksmoke-flaky-');
    const code = await execute(
      step,
      inputsFrom({
        url: 'http://127.0.0.1:17081/',
        name: 'flaky',
        requests: 60,
        concurrency: 3,
        'ready-timeout': '60s',
        'expect-backends': 'app-a,app-b,app-c',
        'max-imbalance': '1.5',
        'report-dir': reportDir,
      }),
      platform,
    );
    expect(code).toBe(1);
    // Every response counts for the backend that sent it, so the LB's even spread shows as even
    // (only passing ones were counted before: 20/20/10 and a false imbalance failure).
    expect(JSON.parse(platform.outputs.get('backends')!)).toEqual({ 'app-a': 20, 'app-b': 20, 'app-c': 20 });
    const errors = platform.lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors).toEqual([
      'flaky: status: expected status 200-399, error rate ≤ 0%; seen 10 of 60 failed (16.67%); statuses: 200 ×50, 500 ×10; by backend: app-c: 10 of 20 failed (200 ×10, 500 ×10)',
      expect.stringMatching(/^1 smoke check\(s\) failed: flaky: status: /),
    ]);
    // The log has a line per backend with its statuses and latency.
    expect(platform.text()).toMatch(
      /^ {2}app-c: 20 responses, 10 failed \(200 ×10, 500 ×10\), p50 [\d.]+ ms, p95 [\d.]+ ms, max [\d.]+ ms$/m,
    );
    expect(platform.text()).toMatch(/^ {2}app-a: 20 responses, 0 failed \(200 ×20\), p50 /m);
    // The job summary has the per-backend table, the JSON report the figures.
    expect(platform.summaries.join('\n')).toMatch(/\| `app-c` \| 20 \| \*\*10\*\* \| 200 ×10, 500 ×10 \| /);
    const json = JSON.parse(readFileSync(join(reportDir, 'smoke.json'), 'utf8')) as {
      targets: { load: { perBackend: Record<string, { failures: number; statuses: object }> } }[];
    };
    expect(json.targets[0].load.perBackend['app-c']).toMatchObject({
      failures: 10,
      statuses: { '200': 10, '500': 10 },
    });
    expect(json.targets[0].load.perBackend['app-b'].failures).toBe(0);
  });
});
