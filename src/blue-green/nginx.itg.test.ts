import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { missingDocker } from '../../test/helpers/host.js';
import {
  bundleCli,
  colourAt,
  deployUnreachable,
  failure,
  harness,
  killAt,
  testApp,
  withTestApp,
  type Harness,
} from '../../test/blue-green/helpers.js';
import { startGitHubContract, type ContractServer } from '../../test/blue-green/github-contract.js';
import { StepFailure, UserError } from '../core/errors.js';
import { colourReplicas, lbContainer } from './engine.js';
import { loadState, type BlueGreenState } from './state.js';

const skip = missingDocker();
const PORT = 15470;
const app = testApp('nginx', PORT);
const { dir, values, settings } = app;
const state = (): Promise<BlueGreenState> => loadState(dir, values.name, 'nginx');

/** A GET on the live port through a keep-alive agent: which colour answered, and on a reused connection? */
function keepAliveGet(agent: Agent): Promise<{ colour: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = get(`http://127.0.0.1:${PORT}/`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ colour: String(res.headers['x-colour']), reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

describe.skipIf(skip)(`blue-green on nginx, real engine${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let h: Harness;
  let gh: ContractServer;
  withTestApp(app);
  beforeAll(async () => {
    gh = await startGitHubContract();
    h = harness(values, {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'abc123',
      GITHUB_API_URL: gh.url,
    });
  });
  afterAll(async () => {
    await gh?.close();
  });

  it('promote with nothing deployed and rollback with no previous: clear errors, no change', async () => {
    for (const cmd of ['promote', 'rollback']) {
      const err = await failure(h.run(cmd));
      // Both are refused states, not bad input: exit 1 (StepFailure) with the reason.
      expect(err).toBeInstanceOf(StepFailure);
      expect(err.message).toMatch(
        cmd === 'promote' ? /nothing to promote: colour blue is absent/ : /nothing to roll back to/,
      );
    }
    expect((await state()).live).toBeNull();
  });

  it('deploys, promotes, deploys the other colour, promotes, rolls back in place; records GitHub deployments', async () => {
    await h.run('deploy', { image: 'skbg-itg-app:1', 'auto-promote': 'true', 'github-token': 'ghs_x' });
    expect(await colourAt(PORT)).toBe('blue');
    const p = await h.run('deploy', { image: 'skbg-itg-app:2', 'github-token': 'ghs_x' });
    expect(p.outputs.get('idle-colour')).toBe('green');
    expect(await colourAt(PORT)).toBe('blue'); // nothing switched
    expect(await colourAt(PORT + 1)).toBe('green'); // the preview serves the new colour
    expect((await state()).colours.green.status).toBe('ready');

    // A keep-alive client connection opened before the switch survives it (the front master is
    // not reloaded) and its next request reaches the new colour.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await keepAliveGet(agent)).toEqual({ colour: 'blue', reused: false });
    const promoted = await h.run('promote', { 'github-token': 'ghs_x' });
    expect(promoted.outputs.get('live-colour')).toBe('green');
    expect(await keepAliveGet(agent)).toEqual({ colour: 'green', reused: true });
    agent.destroy();
    expect(await colourAt(PORT)).toBe('green');
    const upstreams = readFileSync(join(dir, 'lb', 'upstreams.conf'), 'utf8');
    const greenIps = (await colourReplicas(settings(), 'green')).map((r) => r.ip);
    expect(greenIps).toHaveLength(2);
    for (const ip of greenIps)
      expect(upstreams).toMatch(new RegExp(`upstream green \\{[^}]*${ip.replace(/\./g, '\\.')}:3000`));

    const blueIds = (await colourReplicas(settings(), 'blue')).map((r) => r.id).sort();
    const back = await h.run('rollback');
    expect(back.outputs.get('live-colour')).toBe('blue');
    expect(await colourAt(PORT)).toBe('blue');
    // Rolled back by switching to the still-running replicas, not by redeploying them.
    expect((await colourReplicas(settings(), 'blue')).map((r) => r.id).sort()).toEqual(blueIds);
    const s = await state();
    expect(s).toMatchObject({ live: 'blue', previous: 'green' });
    expect(s.pending).toBeUndefined();
    expect(s.colours.green.status).toBe('drained');

    expect(gh.violations).toEqual([]);
    const states = gh.calls.filter((c) => c.body.state).map((c) => c.body.state);
    expect(states).toContain('inactive');
    expect(
      gh.calls.filter((c) => c.operationId === 'repos/create-deployment').map((c) => c.body.environment),
    ).toEqual(['production-preview', 'production', 'production-preview', 'production']);
    const status = await h.run('status', { format: 'json' });
    const report = JSON.parse(status.outputs.get('status') ?? '{}') as {
      live: string;
      problems: string[];
      routes: { live: string };
    };
    expect(report).toMatchObject({ live: 'blue', problems: [], routes: { live: 'blue' } });
  });

  it('a never-healthy colour or a failing smoke test: no switch, old colour serves, status says so; abort stops it', async () => {
    const sick = await failure(h.run('deploy', { image: 'skbg-itg-bad:unhealthy', 'health-timeout': '8s' }));
    expect(sick).toBeInstanceOf(StepFailure);
    expect(sick.message).toMatch(
      /green failed, nothing switched \(blue keeps serving\).*did not become healthy/,
    );
    expect(sick.platform.text()).toMatch(/Logs of green[\s\S]*listening on 0.0.0.0:3000/);
    // Progress while waiting: each replica's state change is said as it happens.
    expect(sick.platform.text()).toMatch(/green replica \w+: starting[\s\S]*green replica \w+: unhealthy/);
    expect(await colourAt(PORT)).toBe('blue');
    const st = await h.run('status');
    expect(st.text()).toMatch(/problem: green failed: colour green did not become healthy/);

    const bad = await failure(h.run('deploy', { image: 'skbg-itg-bad:500' }));
    expect(bad.message).toMatch(/smoke test of green at http:\/\/127.0.0.1:15471\/ failed: .*500/);
    expect(await colourAt(PORT)).toBe('blue');
    expect((await state()).colours.green.status).toBe('failed');
    const err = await failure(h.run('promote'));
    expect(err.message).toMatch(/nothing to promote: colour green is failed/);
    // abort stops the deployed-but-not-promoted colour
    const p = await h.run('abort');
    expect(p.text()).toMatch(/aborted: green \(500\) stopped; blue stays live/);
    expect((await colourReplicas(settings(), 'green')).filter((r) => r.running)).toEqual([]);
    expect(await colourAt(PORT)).toBe('blue');
  });

  it('a replica healthy in Docker but unreachable through the LB is named with its address and what nginx said', async () => {
    // The app listens on loopback inside its container: its own healthcheck passes, the LB cannot connect.
    const { err, ips } = await deployUnreachable(h, app, '12s');
    for (const ip of ips)
      expect(err.message).toMatch(
        new RegExp(
          `replica \\w+ \\(${ip.replace(/\./g, '\\.')}:3000\\) never answered /healthz .*HTTP 502 from ${ip.replace(/\./g, '\\.')}:3000.*connect\\(\\) failed \\(111: Connection refused\\)`,
        ),
      );
    expect(err.message).not.toMatch(/smoke test/); // found before any smoke request
    expect(await colourAt(PORT)).toBe('blue');
    await h.run('abort');
  });

  it('two deploys at once: the second waits for the lock, then fails clearly; one consistent state', async () => {
    const first = h.run('deploy', { image: 'skbg-itg-app:2', version: '2.1' });
    await new Promise((r) => setTimeout(r, 300));
    const second = await failure(
      h.run('deploy', { image: 'skbg-itg-app:1', version: '9.9', 'lock-timeout': '2s' }),
    );
    expect(second.message).toMatch(
      /another blue-green operation holds the lock .*: deploy by .* gave up after 2s/,
    );
    expect(second.platform.text()).toMatch(/waiting for the lock: deploy by/);
    await first;
    const s = await state();
    expect(s.colours.green).toMatchObject({ status: 'ready', version: '2.1' });
    expect(s.history.some((e) => e.version === '9.9')).toBe(false);
  });

  it('an invalid lb-snippet is refused by nginx -t before anything changes: old config stays, nothing switches', async () => {
    const before = readFileSync(join(dir, 'lb', 'upstreams.conf'), 'utf8');
    const err = await failure(h.run('promote', { 'lb-snippet': 'no_such_directive on;' }));
    expect(err).toBeInstanceOf(UserError);
    expect(String(err)).toMatch(
      /input "lb-snippet": nginx refuses it \(nothing was changed\):.*no_such_directive.*at line 1 of lb-snippet/,
    );
    expect(readFileSync(join(dir, 'lb', 'upstreams.conf'), 'utf8')).toBe(before);
    expect(readFileSync(join(dir, 'lb', 'nginx.conf'), 'utf8')).not.toContain('no_such_directive');
    expect(await colourAt(PORT)).toBe('blue');
    expect(await state()).toMatchObject({ live: 'blue' });
    expect((await state()).pending).toBeUndefined();
  });

  it('killed mid-promote: the next command reverts (LB untouched) or finishes (LB switched), saying so', async () => {
    const cli = await bundleCli();
    const args = Object.entries(values).flatMap(([k, v]) => [`--${k}`, v]);
    await killAt(cli, ['promote', ...args], 'after-switching:60000', /pausing .* at after-switching/);
    expect((await state()).pending).toMatchObject({ op: 'promote', from: 'blue', to: 'green' });
    const reverted = await h.run('status');
    expect(reverted.text()).toMatch(
      /found a half-done promote to green .*still routes live traffic to blue; reverted it/,
    );
    expect(await state()).toMatchObject({ live: 'blue' });
    expect((await state()).pending).toBeUndefined();
    expect(await colourAt(PORT)).toBe('blue');

    await killAt(cli, ['promote', ...args], 'after-route:60000', /pausing .* at after-route/);
    expect(await colourAt(PORT)).toBe('green'); // switched, but never recorded as done
    const finished = await h.run('status');
    expect(finished.text()).toMatch(
      /found a half-done promote to green .*already routes live traffic to green; finished it/,
    );
    expect(await state()).toMatchObject({ live: 'green', previous: 'blue' });
    expect((await state()).pending).toBeUndefined();
  });

  it('a dead nginx master takes the container down and Docker restarts it; a stop is graceful; routing survives both', async () => {
    const live = await colourAt(PORT);
    expect(live).toMatch(/^(blue|green)$/);
    const id = await lbContainer(settings());
    if (!id) throw new Error('the LB is not running');
    const inspect = (f: string) =>
      execFileSync('docker', ['inspect', '-f', f, id], { encoding: 'utf8' }).trim();
    const answersWith = async (colour: string) => {
      for (let i = 0; i < 150; i++) {
        if ((await colourAt(PORT).catch(() => '')) === colour) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the live port never answered ${colour} again`);
    };

    execFileSync('docker', ['exec', id, 'sh', '-c', 'kill -9 "$(cat /tmp/shipkit-nginx-colours.pid)"']);
    // The supervisor sees the master gone within a second and exits; Docker restarts the container.
    for (let i = 0; i < 150 && inspect('{{.RestartCount}}') === '0'; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(Number(inspect('{{.RestartCount}}'))).toBeGreaterThanOrEqual(1);
    await answersWith(live);

    execFileSync('docker', ['stop', id]);
    expect(inspect('{{.State.ExitCode}}')).toBe('0'); // the trap quit both masters; no SIGKILL (137)
    execFileSync('docker', ['start', id]);
    await answersWith(live);
    const status = await h.run('status', { format: 'json' });
    expect(JSON.parse(status.outputs.get('status') ?? '{}')).toMatchObject({ live, routes: { live } });
  });
});
