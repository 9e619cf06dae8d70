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

  it('a colour compose file keeps env values and the version literal: every $ doubled for compose', () => {
    const env = { PW: 'pa$word', Y: '${HOST_VAR}', Z: '$(id) \\ "q" a=b ü' };
    const text = colourCompose({ ...settings, env }, 'blue', 'reg/shop:2', 'v$1');
    const doc = parse(text) as {
      services: { app: { environment: Record<string, string>; labels: Record<string, string> } };
    };
    expect(doc.services.app.environment).toEqual({
      PW: 'pa$$word',
      Y: '$${HOST_VAR}',
      Z: '$$(id) \\ "q" a=b ü',
      APP_COLOUR: 'blue',
      APP_VERSION: 'v$$1',
    });
    expect(doc.services.app.labels['io.shipkit.bluegreen.version']).toBe('v$$1');
    const lb = parse(lbCompose({ ...settings, stateDir: '/srv/$HOME' })) as {
      services: { lb: { volumes: string[] } };
    };
    expect(lb.services.lb.volumes).toEqual(['/srv/$$HOME/lb:/etc/shipkit-lb']);
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
    // Nothing a user types may change the LB's configuration or a compose file (issue 12, item 2).
    {
      name: 'a health-path with a newline (a line injected into haproxy.cfg)',
      inputs: { 'health-path': '/healthz\n    http-response set-header X-Injected yes' },
      error: /input "health-path": contains a control character/,
    },
    {
      name: 'a health-path with a space',
      inputs: { 'health-path': '/healthz x' },
      error: /input "health-path": expected a path starting with \//,
    },
    {
      name: "a health-path with a quote (HAProxy's quoting cannot hold it)",
      inputs: { 'health-path': "/it's" },
      error: /input "health-path"/,
    },
    { name: 'a health-path with a #', inputs: { 'health-path': '/h#x' }, error: /input "health-path"/ },
    { name: 'a relative health-path', inputs: { 'health-path': 'healthz' }, error: /input "health-path"/ },
    { name: 'a smoke-path with a tab', inputs: { 'smoke-path': '/\tx' }, error: /input "smoke-path"/ },
    {
      name: 'a bind-address that is not an address',
      inputs: { 'bind-address': '127.0.0.1:80:80\n' },
      error: /input "bind-address": expected an IPv4 address/,
    },
    {
      name: 'a host name as bind-address',
      inputs: { 'bind-address': 'localhost' },
      error: /input "bind-address"/,
    },
    {
      name: 'an invalid image reference (before anything runs)',
      inputs: { command: 'deploy', image: 'Shop App:1' },
      error: /input "image": not a valid image reference/,
    },
    {
      name: 'an invalid lb-image reference',
      inputs: { 'lb-image': 'nginx:alpine\nx' },
      error: /input "lb-image": not a valid image reference/,
    },
    {
      name: 'a version with a newline',
      inputs: { command: 'deploy', image: 'r/a:1', version: '1\nX=2' },
      error: /input "version": contains a control character/,
    },
    {
      name: "a state-dir with ':' (compose's volume separator)",
      inputs: { 'state-dir': '/tmp/a:/etc' },
      error: /input "state-dir"/,
    },
    {
      name: 'an env key with a space',
      inputs: { env: 'MY VAR=1' },
      error: /input "env": expected KEY=value/,
    },
    { name: 'an env line without =', inputs: { env: 'A=1\nB' }, error: /input "env": expected KEY=value/ },
    {
      name: 'an lb-snippet line with a control character',
      inputs: { 'lb-snippet': 'add_header X-A a;\radd_header X-B b;' },
      error: /input "lb-snippet": contains a control character/,
    },
    {
      name: 'a summary-file with a newline',
      inputs: { 'summary-file': 'a.md\n::warning::x' },
      error: /input "summary-file": contains a control character/,
    },
    {
      name: 'a port in exponent notation',
      inputs: { port: '1e3' },
      error: /input "port": expected a whole number/,
    },
    { name: 'a hex app-port', inputs: { 'app-port': '0x10' }, error: /input "app-port"/ },
    {
      name: 'a zero health-timeout',
      inputs: { 'health-timeout': '0' },
      error: /input "health-timeout": must be more than 0/,
    },
    {
      name: 'a zero healthcheck-timeout',
      inputs: { 'healthcheck-timeout': '0s' },
      error: /input "healthcheck-timeout"/,
    },
  ];
  for (const row of rows) {
    it(`refuses ${row.name}`, () => {
      let caught: unknown;
      try {
        read({ command: 'status', ...row.inputs });
      } catch (err: unknown) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UserError);
      expect(String(caught)).toMatch(row.error);
    });
  }
  it('summary-file: shipkit-bluegreen-summary.md unless given (then written on GitHub too)', () => {
    expect(read({ command: 'status' }).summary).toEqual({
      file: 'shipkit-bluegreen-summary.md',
      given: false,
    });
    expect(read({ command: 'status', 'summary-file': 'out/s.md' }).summary).toEqual({
      file: 'out/s.md',
      given: true,
    });
  });
  it('env: one KEY=value per line, the value exactly as written (commas, =, spaces, $, quotes)', () => {
    const i = read({
      command: 'status',
      env: 'A=a,b=c\r\n  # a comment\n\nB= two  spaces \nC=$(x) ${HOME} \\ "q" \'s\' ü',
    });
    expect(i.settings.env).toEqual({ A: 'a,b=c', B: ' two  spaces ', C: '$(x) ${HOME} \\ "q" \'s\' ü' });
  });

  it('takes a valid health-path with a query, and an IPv4 bind-address', () => {
    const i = read({
      command: 'status',
      'health-path': '/ready?deep=1&x=$y;z=(a)',
      'bind-address': '127.0.0.1',
    });
    expect(i.settings.healthPath).toBe('/ready?deep=1&x=$y;z=(a)');
    expect(haproxyConf({ ...i.settings, lb: 'haproxy' })).toContain(
      "    option httpchk GET '/ready?deep=1&x=$y;z=(a)'\n",
    );
  });

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

describe('contract test: one GitHub Deployment per promote when the job declares the environment', () => {
  const cfg = {
    token: 'ghs_test',
    repository: 'acme/shop',
    ref: 'abc123',
    environment: 'production',
    environmentUrl: 'http://127.0.0.1:8080/',
    inJob: true,
  };
  // What GitHub lists for a job with `environment: production` while it runs (fields shipkit reads).
  const jobDeployment = {
    id: 77,
    sha: 'abc123',
    ref: 'main',
    task: 'deploy',
    environment: 'production',
    creator: { login: 'github-actions[bot]', type: 'Bot' },
  };
  const calls = (gh: ContractServer) => gh.calls.map((c) => `${c.method.toUpperCase()} ${c.path}`);

  it('adds its statuses to the Deployment GitHub made for the job, and creates none', async () => {
    const gh = await startGitHubContract({
      lists: {
        'repos/list-deployments': [jobDeployment],
        'repos/list-deployment-statuses': [{ id: 1, state: 'in_progress' }],
      },
    });
    try {
      const rec = githubDeployments({ ...cfg, apiUrl: gh.url })!;
      const id = await rec.start('promote', 'production', 'promote shop to green (2.0.0)', {
        colour: 'green',
      });
      await rec.finish(id, 'success', 'green is live');
      expect(id).toBe(77);
      expect(gh.violations).toEqual([]);
      expect(calls(gh)).toEqual([
        'GET /repos/acme/shop/deployments',
        'GET /repos/acme/shop/deployments/77/statuses',
        'POST /repos/acme/shop/deployments/77/statuses',
      ]);
      expect(gh.calls[0].query).toMatchObject({ sha: 'abc123', environment: 'production' });
      expect(gh.calls[2].body).toMatchObject({ state: 'success', environment_url: 'http://127.0.0.1:8080/' });
    } finally {
      await gh.close();
    }
  });

  it('creates its own when the job declares no environment, or for the preview environment', async () => {
    // A finished Deployment of an earlier run, and one by a person: neither is this job's.
    const gh = await startGitHubContract({
      lists: {
        'repos/list-deployments': [{ ...jobDeployment, creator: { login: 'octocat', type: 'User' } }],
        'repos/list-deployment-statuses': [{ id: 1, state: 'success' }],
      },
    });
    try {
      const rec = githubDeployments({ ...cfg, apiUrl: gh.url })!;
      await rec.start('promote', 'production', 'promote', {});
      await rec.start('deploy', 'production-preview', 'deploy', {});
      expect(gh.violations).toEqual([]);
      expect(
        gh.calls.filter((c) => c.operationId === 'repos/create-deployment').map((c) => c.body.environment),
      ).toEqual(['production', 'production-preview']);
      // The preview environment is never the job's: no lookup for it.
      expect(gh.calls.filter((c) => c.operationId === 'repos/list-deployments')).toHaveLength(1);
    } finally {
      await gh.close();
    }
  });
});
