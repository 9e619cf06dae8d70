/**
 * Rollback returns to the release that was live before the current one — never to whatever the
 * idle colour holds now (a newer candidate, a failed deploy) — on nginx and on HAProxy.
 */
import { describe, expect, it } from 'vitest';
import { missingDocker } from '../../test/helpers/host.js';
import { failure, harness, testApp, versionAt, withTestApp } from '../../test/blue-green/helpers.js';
import { StepFailure } from '../core/errors.js';
import { loadState } from './state.js';

const skip = missingDocker();

for (const [lb, PORT] of [
  ['nginx', 15494],
  ['haproxy', 15496],
] as const) {
  describe.skipIf(skip)(`rollback on ${lb}, real engine${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const app = testApp(lb, PORT, `skbg-rb-${lb}`);
    const { dir, values } = app;
    const h = harness(values);
    const state = () => loadState(dir, values.name, lb);
    const status = async () => (await h.run('status')).text();
    withTestApp(app);

    it('a newer candidate on the idle colour: rollback redeploys the previous release there, never promotes the candidate', async () => {
      await h.run('deploy', { image: 'skbg-itg-app:1', version: '1.0', 'auto-promote': 'true' });
      await h.run('deploy', { image: 'skbg-itg-app:2', version: '2.0' });
      await h.run('promote');
      expect(await versionAt(PORT)).toBe('2.0');
      expect(await status()).toMatch(/rollback target: 1\.0 \(skbg-itg-app:1\), running on blue/);

      const candidate = await h.run('deploy', { image: 'skbg-itg-app:3', version: '3.0' });
      expect(candidate.text()).toMatch(/rolling back to it is no longer possible/);
      expect(await status()).toMatch(
        /rollback target: 1\.0 \(skbg-itg-app:1\), no longer running \(blue holds 3\.0\): rollback redeploys it/,
      );

      // With redeploys forbidden: refused, exit 1, saying what is in the way; nothing changes.
      const refused = await failure(h.run('rollback', { 'allow-redeploy': 'false' }));
      expect(refused).toBeInstanceOf(StepFailure);
      expect(refused.message).toMatch(
        /cannot roll back to 1\.0 \(skbg-itg-app:1\) without redeploying it: blue now holds 3\.0 \(skbg-itg-app:3, ready\); nothing switched, green \(2\.0\) stays live/,
      );
      expect(await versionAt(PORT)).toBe('2.0');
      expect((await state()).colours.blue).toMatchObject({ status: 'ready', version: '3.0' });

      const back = await h.run('rollback');
      expect(back.text()).toMatch(
        /rolling back to 1\.0 \(skbg-itg-app:1\), which no longer runs: blue now holds 3\.0 \(skbg-itg-app:3, ready\); redeploying 1\.0 \(skbg-itg-app:1\) to blue/,
      );
      expect(back.text()).not.toMatch(/redeploying skbg-itg-app:3/);
      expect(await versionAt(PORT)).toBe('1.0');
      const s = await state();
      expect(s).toMatchObject({ live: 'blue', previous: 'green' });
      expect(s.colours.blue).toMatchObject({ status: 'live', image: 'skbg-itg-app:1', version: '1.0' });
      // 3.0 was never live: no switch to it is recorded.
      expect(s.history.filter((e) => e.version === '3.0' && e.op !== 'deploy')).toEqual([]);

      // status without --port or --lb asks the LB the app was set up with, on its own ports.
      const rest = Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'port' && k !== 'lb'));
      const bare = await harness(rest).run('status');
      expect(bare.text()).toMatch(new RegExp(`\\(${lb}\\): live blue.*\\n.*load balancer routes: live=blue`));
      expect(bare.text()).not.toMatch(/does not answer/);
    });

    it('after a failed deploy: rollback redeploys the previous release, not the failed image', async () => {
      // Live: blue 1.0; the release before it: 2.0 (green, drained).
      const bad = await failure(
        h.run('deploy', { image: 'skbg-itg-bad:unhealthy', version: '9.9', 'health-timeout': '6s' }),
      );
      expect(bad).toBeInstanceOf(StepFailure);
      const st = await status();
      expect(st).toMatch(/rollback target: 2\.0 \(skbg-itg-app:2\), no longer running \(green holds 9\.9\)/);
      expect(st).toMatch(
        /problem: the preview route serves green, whose deploy of 9\.9 failed \(abort stops it\)/,
      );
      const back = await h.run('rollback');
      expect(back.text()).toMatch(/redeploying 2\.0 \(skbg-itg-app:2\) to green/);
      expect(await versionAt(PORT)).toBe('2.0');
      expect((await state()).colours.green).toMatchObject({ status: 'live', image: 'skbg-itg-app:2' });
      // And straight back: 1.0 still runs on blue (drained), so this one is a switch, no redeploy.
      const again = await h.run('rollback');
      expect(again.text()).toMatch(/rolling back to 1\.0 \(skbg-itg-app:1\), still running on blue/);
      expect(await versionAt(PORT)).toBe('1.0');
    });
  });
}
