import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { spawnSync } from 'node:child_process';
import { missingCommand } from '../../test/helpers/host.js';
import { inputsFrom, InputReader } from '../core/inputs.js';
import { UserError } from '../core/errors.js';
import {
  colourCompose,
  haproxyConf,
  haproxyMap,
  generationOf,
  lbCompose,
  nginxColoursConf,
  nginxSupervisor,
  nginxConf,
  nginxUpstreams,
  socketGeneration,
  type AppSettings,
} from './plan.js';
import { acquireLock, isStale, loadState, saveState, emptyState, idleColour } from './state.js';
import { getInputs } from './step.js';
import { githubDeployments } from './deployments.js';
import { startGitHubContract, type ContractServer } from '../../test/blue-green/github-contract.js';

const noShellcheck = missingCommand('shellcheck');

const settings: AppSettings = {
  name: 'shop',
  lb: 'nginx',
  lbImage: 'nginx:alpine',
  replicas: 2,
  port: 8080,
  previewPort: 8081,
  bindAddress: '0.0.0.0',
  appPort: 3000,
  healthPath: '/healthz',
  env: { LOG: 'debug' },
  lbSnippet: [],
  stateDir: '/var/lib/shipkit/bluegreen/shop',
};

describe('plan: generated files', () => {
  it("nginx upstreams: each colour's replicas, a down placeholder for an empty one, a generation per colour", () => {
    const b = (ip: string, id = `id-${ip}`) => ({ ip, id });
    const text = nginxUpstreams({ blue: [b('10.0.0.3'), b('10.0.0.2')], green: [] }, 3000);
    expect(text).toMatch(
      /upstream blue \{\n {4}server 10\.0\.0\.2:3000 max_fails=1 fail_timeout=2s; # id-10\.0\.0\.2\n {4}server 10\.0\.0\.3:3000/,
    );
    expect(text).toContain('upstream green {\n    server 127.0.0.1:9 down;');
    // Probes may name exactly this generation's replicas.
    expect(text).toMatch(
      /\$shipkit_blue_probe \{\n {4}default "";\n {4}"10\.0\.0\.3:3000" "10\.0\.0\.3:3000";\n {4}"10\.0\.0\.2:3000"/,
    );
    expect(text).toMatch(/\$shipkit_green_probe \{\n {4}default "";\n\}/);
    const blue = generationOf(text, 'blue');
    const green = generationOf(text, 'green');
    expect(blue).toMatch(/^[0-9a-f]{12}$/);
    expect(green).toMatch(/^[0-9a-f]{12}$/);
    expect(blue).not.toBe(green);
    // A colour's generation changes with its own addresses only.
    const moved = nginxUpstreams({ blue: [b('10.0.0.2'), b('10.0.0.4')], green: [] }, 3000);
    expect(generationOf(moved, 'blue')).not.toBe(blue);
    expect(generationOf(moved, 'green')).toBe(green);
    // A replaced container that got the same address again is a new generation too.
    const replaced = nginxUpstreams({ blue: [b('10.0.0.2', 'new'), b('10.0.0.3')], green: [] }, 3000);
    expect(generationOf(replaced, 'blue')).not.toBe(blue);
  });

  it('a colour compose file carries image, colour env, labels and the colour alias on the shared network', () => {
    const doc = parse(colourCompose(settings, 'green', 'reg/shop:2', '2.0.0')) as {
      services: {
        app: {
          image: string;
          environment: Record<string, string>;
          networks: { default: { aliases: string[] } };
        };
      };
      networks: { default: { name: string; external: boolean } };
    };
    expect(doc.services.app.image).toBe('reg/shop:2');
    expect(doc.services.app.environment).toEqual({ LOG: 'debug', APP_COLOUR: 'green', APP_VERSION: '2.0.0' });
    expect(doc.services.app.networks.default.aliases).toEqual(['shop-green']);
    expect(doc.networks.default).toEqual({ name: 'shop-net', external: true });
  });

  it('nginx: the front proxies each listener through its route link; the colour master serves a socket per colour', () => {
    const front = nginxConf({ ...settings, lbSnippet: ['add_header X-Test yes;'] });
    expect(front).toContain('listen 8080;');
    expect(front).toContain('listen 8081;');
    expect(front).toContain('proxy_pass http://unix:/etc/shipkit-lb/run/live.sock:;');
    expect(front).toContain('proxy_pass http://unix:/etc/shipkit-lb/run/preview.sock:;');
    // The snippet goes into the live listener only.
    expect(front.indexOf('X-Test')).toBeGreaterThan(front.indexOf('live.sock'));
    expect(front.indexOf('X-Test')).toBeLessThan(front.indexOf('listen 8081;'));
    expect(front).not.toMatch(/^\s*(upstream|include) /m);
    // Probes that name a replica are refused on the live listener.
    expect(front).toMatch(/listen 8080;\n\s+location \^~ \/__shipkit\/probe\/ \{ return 404; \}/);
    expect(front).not.toMatch(/listen 8081;\n\s+location \^~ \/__shipkit\/probe/);
    const colours = nginxColoursConf({
      blue: ['c-blue-aaa.sock'],
      green: ['c-green-bbb.sock', 'c-green-ccc.sock'],
    });
    expect(colours).toContain('include /etc/shipkit-lb/upstreams.conf;');
    for (const sock of ['c-blue-aaa', 'c-green-bbb', 'c-green-ccc', 'none'])
      expect(colours).toContain(`listen unix:/etc/shipkit-lb/run/${sock}.sock;`);
    expect(colours).toContain('proxy_pass http://green;');
    expect(colours).toContain('proxy_pass http://$shipkit_green_probe;');
    expect(colours).toContain('pid /tmp/shipkit-nginx-colours.pid;');
    expect(socketGeneration('c-green-0123abcd.sock')).toEqual({ colour: 'green', gen: '0123abcd' });
    expect(socketGeneration('none.sock')).toBeUndefined();
    expect(socketGeneration('c-red-1.sock')).toBeUndefined();
  });

  it('nginx: PID 1 supervises both masters, is valid POSIX sh, and reaches compose with `$` escaped', () => {
    const script = nginxSupervisor();
    expect(script).toContain('nginx -c /etc/shipkit-lb/colours.conf || exit 1');
    expect(script).toContain("trap 'nginx -s quit -c /etc/shipkit-lb/nginx.conf;");
    const doc = parse(lbCompose(settings)) as { services: { lb: { command: string[] } } };
    const command = doc.services.lb.command;
    expect(command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(command[2].replaceAll('$$', '$')).toBe(script);
    expect(command[2]).not.toMatch(/(^|[^$])\$([^$]|$)/);
  });

  it.skipIf(noShellcheck)('nginx: the supervisor script passes ShellCheck as POSIX sh', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: nginxSupervisor(), encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('HAProxy declares both colours and routes through the map', () => {
    const text = haproxyConf({ ...settings, lb: 'haproxy' });
    expect(text).toContain('server-template blue 10 shop-blue:3000 check');
    expect(text).toContain('server-template green 10 shop-green:3000 check');
    expect(text).toContain('load-server-state-from-file global');
    // Readiness probes name a slot on the preview route only.
    expect(text).toContain('    use-server green10 if { var(txn.probe) -m str green10 }');
    expect(text.indexOf('set-var(txn.probe)')).toBeGreaterThan(text.indexOf('frontend preview'));
    expect(haproxyMap({ live: 'green', preview: null })).toBe('live green\npreview none\n');
  });
});

describe('state and lock', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'skbg-unit-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips the state atomically and starts empty', async () => {
    const fresh = await loadState(dir, 'shop', 'nginx');
    expect(fresh.live).toBeNull();
    expect(idleColour(fresh)).toBe('blue');
    fresh.live = 'blue';
    await saveState(dir, fresh, { at: 'now', op: 'promote', by: 'me', outcome: 'ok' });
    const again = await loadState(dir, 'shop', 'nginx');
    expect(again.live).toBe('blue');
    expect(idleColour(again)).toBe('green');
    expect(again.history).toHaveLength(1);
  });

  it('names a corrupt state file', async () => {
    const d = join(dir, 'corrupt');
    await saveState(d, emptyState('x', 'nginx'));
    await writeFile(join(d, 'state.json'), '{"schema":1,');
    await expect(loadState(d, 'x', 'nginx')).rejects.toThrow(/corrupt blue-green state/);
  });

  it('a second holder waits, then fails naming the first; a dead holder is stale', async () => {
    const d = join(dir, 'lock');
    const release = await acquireLock(d, 'deploy', 'alice', { timeoutMs: 100 });
    const t0 = Date.now();
    await expect(acquireLock(d, 'deploy', 'bob', { timeoutMs: 400, pollMs: 50 })).rejects.toThrow(
      /holds the lock .*deploy by alice \(pid \d+/,
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    await release();
    const again = await acquireLock(d, 'promote', 'bob', { timeoutMs: 100 });
    await again();
    expect(
      isStale({ pid: 999_999_999, host: hostname(), at: new Date().toISOString(), op: 'x', by: 'y' }, 60_000),
    ).toBe(true);
    expect(
      isStale({ pid: 1, host: 'elsewhere', at: new Date().toISOString(), op: 'x', by: 'y' }, 60_000),
    ).toBe(false);
    // A lock left by a dead process is taken over at once.
    await writeFile(
      join(d, 'lock'),
      JSON.stringify({ pid: 999_999_999, host: hostname(), at: new Date().toISOString() }),
    );
    const taken = await acquireLock(d, 'deploy', 'carol', { timeoutMs: 100 });
    expect((JSON.parse(await readFile(join(d, 'lock'), 'utf8')) as { by: string }).by).toMatch(/carol/);
    await taken();
  });
});

describe('inputs', () => {
  const read = (v: Record<string, string | undefined>) => getInputs(new InputReader(inputsFrom(v)), {});
  const rows = [
    {
      name: 'deploy without image',
      inputs: { command: 'deploy' },
      error: /input "image": is required for deploy/,
    },
    {
      name: 'unknown command',
      inputs: { command: 'switch' },
      error: /input "command": unknown value "switch"/,
    },
    { name: 'bad name', inputs: { command: 'status', name: 'My App' }, error: /input "name"/ },
    {
      name: 'same ports',
      inputs: { command: 'status', port: '80', 'preview-port': '80' },
      error: /input "preview-port"/,
    },
    { name: 'too many replicas', inputs: { command: 'status', replicas: '11' }, error: /input "replicas"/ },
  ];
  for (const row of rows) {
    it(`refuses ${row.name}`, () => {
      let caught: unknown;
      try {
        read(row.inputs);
      } catch (err: unknown) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UserError);
      expect(String(caught)).toMatch(row.error);
    });
  }
  it('defaults: nginx, 2 replicas, preview on port+1, state under /var/lib/shipkit', () => {
    const i = read({ command: 'deploy', image: 'r/app:1.2.3', name: 'shop', port: '9000' });
    expect(i.settings).toMatchObject({
      lb: 'nginx',
      replicas: 2,
      port: 9000,
      previewPort: 9001,
      stateDir: '/var/lib/shipkit/bluegreen/shop',
    });
    expect(i.options.scaleDownDelayMs).toBe(600_000);
    expect(i.github).toBeUndefined();
  });
});

describe('contract test: GitHub Deployments API (checked against @octokit/openapi)', () => {
  let gh: ContractServer;
  beforeAll(async () => (gh = await startGitHubContract()));
  afterAll(() => gh.close());

  it('records a deployment with in_progress, success and inactive statuses that GitHub accepts', async () => {
    const rec = githubDeployments({
      token: 'ghs_test',
      repository: 'acme/shop',
      apiUrl: gh.url,
      ref: 'abc123',
      environment: 'production',
      environmentUrl: 'http://127.0.0.1:8080/',
      logUrl: 'https://github.com/acme/shop/actions/runs/1',
    })!;
    const id = await rec.start('promote', 'production', 'promote shop to green (2.0.0)', { colour: 'green' });
    await rec.finish(id, 'success', 'green is live');
    await rec.inactive(41, 'replaced by green');
    expect(gh.violations).toEqual([]);
    expect(gh.calls.map((c) => `${c.operationId} ${String(c.body.state ?? c.body.environment)}`)).toEqual([
      'repos/create-deployment production',
      'repos/create-deployment-status in_progress',
      'repos/create-deployment-status success',
      'repos/create-deployment-status inactive',
    ]);
    expect(gh.calls[2].body.environment_url).toBe('http://127.0.0.1:8080/');
    expect(gh.calls[3].path).toBe('/repos/acme/shop/deployments/41/statuses');
  });

  it('the contract server itself rejects a body GitHub would reject', async () => {
    const res = await fetch(`${gh.url}/repos/acme/shop/deployments/1/statuses`, {
      method: 'POST',
      headers: { authorization: 'token x', 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'done' }),
    });
    expect(res.status).toBe(422);
    expect(gh.violations.at(-1)).toMatch(/body.state: "done" is not one of/);
  });

  it('records nothing without a token', () => {
    expect(githubDeployments(undefined)).toBeUndefined();
  });
});
