/**
 * Deploy readiness under stress (issue: a healthy deploy failed its own preview smoke test by
 * chance): deploy → promote cycles that replace containers at reused addresses and reload the LB,
 * a third of them with every core busy. Any failed deploy or promote of this healthy app is a
 * false failure. CI runs 9 cycles per LB; `scripts/bench/deploy-stress.mjs` runs the full count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingDocker, hostFacts } from '../helpers/host.js';
import { bundleCli } from './helpers.js';
import { buildStressImage, runStress } from '../../scripts/bench/deploy-stress.mjs';

const skip = missingDocker();
const CYCLES = 9;

describe.skipIf(skip)(
  `deploy readiness under stress, real engine${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let cli = '';
    let image = '';
    const bin = mkdtempSync(join(tmpdir(), 'skbg-cli-'));
    const baseImage = hostFacts()?.baseImage ?? 'shipkit/base:bookworm';
    beforeAll(async () => {
      cli = await bundleCli(bin);
      image = buildStressImage(baseImage);
    });
    afterAll(() => {
      rmSync(bin, { recursive: true, force: true });
      if (image) execFileSync('docker', ['rmi', image], { stdio: 'ignore' });
    });

    for (const [lb, port] of [
      ['nginx', 15490],
      ['haproxy', 15492],
    ] as const) {
      it(`${lb}: ${CYCLES} deploy → promote cycles (every third with an abort), a third under CPU load, without a false failure`, async () => {
        const r = await runStress({ cli, lb, image, baseImage, cycles: CYCLES, port });
        expect(r.failures).toEqual([]);
        expect(r.deploys).toBe(CYCLES + Math.floor(CYCLES / 3)); // every third cycle aborts and deploys again
        // Every deploy logged its readiness: each replica reached through the LB before the smoke test.
        expect(Number.isFinite(r.reachable.worst)).toBe(true);
        expect(r.smoke.worst).toBeGreaterThanOrEqual(r.reachable.worst);
      }, 600_000);
    }
  },
);
