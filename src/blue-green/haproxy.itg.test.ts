import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingDocker } from '../../test/helpers/host.js';
import {
  bundleCli,
  colourAt,
  deployUnreachable,
  harness,
  killAt,
  testApp,
  withTestApp,
} from '../../test/blue-green/helpers.js';
import { docker } from '../docker/cli.js';
import { colourReplicas } from './engine.js';
import { haproxyCommand } from './lb.js';
import { loadState } from './state.js';

const skip = missingDocker();
const PORT = 15474;
const app = testApp('haproxy', PORT);
const { dir, values, settings } = app;

describe.skipIf(skip)(`blue-green on HAProxy, real engine${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const h = harness(values);
  withTestApp(app);

  it('switches over the runtime API without a reload, keeping the map and server-state files in step', async () => {
    await h.run('deploy', { image: 'skbg-itg-app:1', 'auto-promote': 'true' });
    await h.run('deploy', { image: 'skbg-itg-app:2' });
    expect(await colourAt(PORT)).toBe('blue');
    expect(await colourAt(PORT + 1)).toBe('green');
    const sock = join(dir, 'lb', 'run', 'admin.sock');
    const pidBefore = await haproxyCommand(sock, 'show info');
    await h.run('promote');
    expect(await colourAt(PORT)).toBe('green');
    // Same HAProxy process (no reload) — its uptime keeps counting and the pid is unchanged.
    const pidAfter = await haproxyCommand(sock, 'show info');
    expect(/Pid: (\d+)/.exec(pidAfter)?.[1]).toBe(/Pid: (\d+)/.exec(pidBefore)?.[1]);
    expect(readFileSync(join(dir, 'lb', 'routes.map'), 'utf8')).toBe('live green\npreview blue\n');
    const serverState = readFileSync(join(dir, 'lb', 'run', 'server-state'), 'utf8');
    for (const r of await colourReplicas(settings(), 'green')) expect(serverState).toContain(` ${r.ip} `);

    await h.run('rollback');
    expect(await colourAt(PORT)).toBe('blue');
    expect(readFileSync(join(dir, 'lb', 'routes.map'), 'utf8')).toBe('live blue\npreview green\n');
  });

  it('a replica healthy in Docker but unreachable through the LB is named with its slot, address and what HAProxy said', async () => {
    const { err, ips } = await deployUnreachable(h, app, '10s');
    for (const ip of ips)
      expect(err.message).toMatch(
        new RegExp(
          `replica \\w+ \\(${ip.replace(/\./g, '\\.')}:3000\\) never answered /healthz .*HTTP 503.*the load balancer logged: .*green/green\\d+ is DOWN`,
        ),
      );
    expect(await colourAt(PORT)).toBe('blue');
    await h.run('abort');
    await h.run('deploy', { image: 'skbg-itg-app:2' }); // green ready again for the next test
  });

  it('killed after the switch but before recording it: the next command finishes it', async () => {
    const cli = await bundleCli();
    const args = Object.entries(values).flatMap(([k, v]) => [`--${k}`, v]);
    await killAt(cli, ['promote', ...args], 'after-route:60000', /pausing .* at after-route/);
    expect(await colourAt(PORT)).toBe('green');
    const p = await h.run('status');
    expect(p.text()).toMatch(
      /found a half-done promote to green .*already routes live traffic to green; finished it/,
    );
    const s = await loadState(dir, values.name, 'haproxy');
    expect(s).toMatchObject({ live: 'green', previous: 'blue' });
    expect(s.pending).toBeUndefined();
  });

  it('destroy removes both colours, the LB and the network, and keeps the history', async () => {
    await h.run('destroy');
    const left = await docker([
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=${values.name}-lb`,
    ]);
    expect(left.stdout.trim()).toBe('');
    for (const colour of ['blue', 'green'] as const)
      expect(await colourReplicas(settings(), colour)).toEqual([]);
    const nets = await docker(['network', 'ls', '-q', '--filter', `name=${values.name}`]);
    expect(nets.stdout.trim()).toBe('');
    const s = await loadState(dir, values.name, 'haproxy');
    expect(s).toMatchObject({ live: null, previous: null });
    expect(s.history.at(-1)).toMatchObject({ op: 'destroy', outcome: 'ok' });
    expect(s.history.some((e) => e.op === 'promote')).toBe(true);
  });
});
