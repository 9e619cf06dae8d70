import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { execute } from '../../src/core/run.js';
import { InputReader, inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/smoke/step.js';
import { runTarget } from '../../src/smoke/run.js';
import { readTarget } from '../../src/smoke/spec.js';
import { missingDocker } from '../helpers/host.js';
import { buildImages, down, example, images, project, up } from './stacks.js';
import { tempDir } from '../helpers/tmp.js';

// The example stack on the real engine, once with nginx and once with HAProxy, three replicas each.
const skip = missingDocker();
const nginx = project('sksmoke-itg-nginx', [join(example, 'compose.yml')], {
  APP_IMAGE: images.app,
  LB_IMAGE: images.nginx,
  LB_PORT: '15400',
});
const haproxy = project(
  'sksmoke-itg-haproxy',
  [join(example, 'compose.yml'), join(example, 'compose.haproxy.yml')],
  {
    APP_IMAGE: images.app,
    LB_IMAGE: images.haproxy,
    LB_PORT: '15401',
  },
);

const stackInputs = (p: typeof nginx, port: number, lb: string) => ({
  url: `http://127.0.0.1:${port}/`,
  name: lb,
  requests: 150,
  concurrency: 6,
  'ready-timeout': '60s',
  'expect-backends-from-stack': 'true',
  'project-name': p.name,
  'compose-files': p.files.join(','),
  'env-file': p.envFile,
  'min-backends': 3,
  'max-imbalance': 3,
  'proxy-headers': `X-NAME: ${lb}`,
  'forward-headers': 'X-Test=smoke',
  'expect-response-headers': 'X-Served-By',
});

describe.skipIf(skip)(
  `smoke on the example stack (nginx and HAProxy, 3 replicas)${skip ? ` — skipped: ${skip}` : ''}`,
  () => {
    beforeAll(async () => {
      await Promise.all([down(nginx), down(haproxy)]);
      await buildImages(['app', 'nginx', 'haproxy']);
      await Promise.all([up(nginx, ['app=3'], ['app'], ['lb']), up(haproxy, ['app=3'], ['app'], ['lb'])]);
    });
    afterAll(async () => {
      await Promise.all([down(nginx), down(haproxy)]);
    });

    it('nginx: the step passes distribution and header checks, writes the summary, JUnit and JSON', async () => {
      const platform = new MemoryPlatform(false);
      const dir = tempDir('sksmoke-report-');
      const code = await execute(
        step,
        inputsFrom({ ...stackInputs(nginx, 15400, 'lb-nginx'), 'report-dir': dir }),
        platform,
      );
      expect(platform.text()).toContain('smoke: all 8 checks passed');
      expect(code).toBe(0);
      expect(platform.outputs.get('passed')).toBe('true');
      const backends = JSON.parse(platform.outputs.get('backends')!) as Record<string, number>;
      expect(Object.keys(backends)).toHaveLength(3);
      expect(Object.values(backends).reduce((a, b) => a + b, 0)).toBe(150);
      expect(platform.summaries[0]).toContain('pie showData title Responses per backend');
      expect(platform.summaries[0]).toContain('xychart-beta');
      const junit = readFileSync(join(dir, 'smoke-junit.xml'), 'utf8');
      expect(junit).toContain('tests="8" failures="0"');
      expect(junit).toContain('name="every replica answered"');
      const json = JSON.parse(readFileSync(join(dir, 'smoke.json'), 'utf8')) as {
        passed: boolean;
        targets: { expectedBackends: unknown[] }[];
      };
      expect(json.passed).toBe(true);
      expect(json.targets[0].expectedBackends).toHaveLength(3);
    });

    for (const [lb, p, port] of [
      ['lb-nginx', nginx, 15400],
      ['lb-haproxy', haproxy, 15401],
    ] as const) {
      it(`${lb}: failover — stop, restart and scale up are all detected in time`, async () => {
        const t = readTarget(
          new InputReader(
            inputsFrom({
              ...stackInputs(p, port, lb),
              requests: 60,
              failover: 'true',
              'failover-timeout': '15s',
              'failover-max-errors': 0,
            }),
          ),
        );
        const r = await runTarget(t);
        expect(r.checks.filter((c) => !c.passed)).toEqual([]);
        const f = r.failover!;
        expect(f.victim!.name).toMatch(new RegExp(`^${p.name}[_-]app[_-]3$`));
        expect(f.detectMs).toBeLessThanOrEqual(15_000);
        expect(f.recoverMs).toBeGreaterThan(0);
        expect(f.scaleUp!.name).toMatch(new RegExp(`^${p.name}[_-]app[_-]4$`));
        expect(f.scaleUp!.ms).toBeGreaterThan(0);
        // The stack is back to three replicas afterwards.
        const again = await runTarget(
          readTarget(new InputReader(inputsFrom({ ...stackInputs(p, port, lb), requests: 30 }))),
        );
        expect(again.expectedBackends).toHaveLength(3);
        expect(again.passed).toBe(true);
        console.log(
          `${lb} failover: left after ${Math.round(f.detectMs!)} ms, back after ${Math.round(f.recoverMs!)} ms, new replica after ${Math.round(f.scaleUp!.ms!)} ms`,
        );
      });
    }
  },
);
