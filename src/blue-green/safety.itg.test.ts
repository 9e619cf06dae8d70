import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingDocker } from '../../test/helpers/host.js';
import { removeTestApp, testApp } from '../../test/blue-green/helpers.js';
import { inputsFrom } from '../core/inputs.js';
import { execute } from '../core/run.js';
import { docker, inspect } from '../docker/cli.js';
import { MemoryPlatform } from '../platform/memory.js';
import { httpGet } from './probe.js';
import { colourReplicas } from './engine.js';
import { step } from './step.js';

/**
 * Hostile and careless input on the real engine (issue 12, items 2, 4, 6): nothing typed reaches
 * the LB config, env values arrive byte for byte through compose, and a failed first deploy or a
 * refused lb-snippet leaves nothing running. Own app names, images and ports (16470-16479).
 */
const skip = missingDocker();
const root = join(import.meta.dirname, '..', '..');

function app(lb: 'nginx' | 'haproxy', port: number) {
  const { dir, values, settings } = testApp(lb, port, `sksafe-${lb}`, {
    'smoke-requests': '4',
    replicas: '1',
  });
  /** Runs a command through the same path as the CLI: exit code and what was logged. */
  const run = async (command: string, extra: Record<string, string> = {}) => {
    const platform = new MemoryPlatform();
    const code = await execute(step, inputsFrom({ ...values, ...extra, command }), platform);
    return { code, text: platform.text() };
  };
  /** A deploy of the app with `extra` inputs is bad input (exit 2) saying `message`, and nothing of the app exists. */
  const refused = async (extra: Record<string, string>, message: RegExp) => {
    const r = await run('deploy', { image: 'sksafe-app:1', ...extra });
    expect(r.code).toBe(2);
    expect(r.text).toMatch(message);
    expect(await leftovers(values.name)).toEqual([]);
  };
  return { dir, values, settings, run, refused, port };
}

/** What of the app is on the engine: LB containers, colour containers, the network. */
async function leftovers(name: string): Promise<string[]> {
  const ps = await docker(['ps', '-aq', '--filter', `label=io.shipkit.bluegreen.app=${name}`]);
  const net = await docker(['network', 'ls', '-q', '--filter', `name=^${name}-net$`]);
  return [...ps.stdout.split('\n'), ...net.stdout.split('\n')].filter(Boolean);
}

function buildImages(base: string): void {
  const build = (tag: string, context: string, args: string[] = []) =>
    execFileSync('docker', ['build', '-q', ...args, '-t', tag, context], { stdio: 'ignore' });
  build('sksafe-app:1', join(root, 'examples/lb-stack/app'), ['--build-arg', `NODE_IMAGE=${base}`]);
  const dir = mkdtempSync(join(tmpdir(), 'sksafe-img-'));
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM sksafe-app:1\nHEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["false"]\n',
  );
  build('sksafe-bad:unhealthy', dir);
  rmSync(dir, { recursive: true, force: true });
}

describe.skipIf(skip)(
  `blue-green with hostile input, real engine${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const hap = app('haproxy', 16470);
    const ngx = app('nginx', 16472);
    beforeAll(() => buildImages(hap.values['lb-image']));
    afterAll(async () => {
      for (const a of [hap, ngx]) await removeTestApp(a);
      await docker(['rmi', 'sksafe-bad:unhealthy', 'sksafe-app:1'], { check: false });
    });

    it('HAProxy: a newline in health-path is bad input (exit 2); no line reaches haproxy.cfg, nothing starts', async () => {
      await hap.refused(
        { 'health-path': '/healthz\n    http-response set-header X-Injected yes' },
        /input "health-path": contains a control character/,
      );
      expect(() => readFileSync(join(hap.dir, 'lb', 'haproxy.cfg'), 'utf8')).toThrow(/ENOENT/);
    });

    it('HAProxy: an lb-snippet that haproxy -c refuses is bad input (exit 2) before anything starts', async () => {
      await hap.refused(
        { 'lb-snippet': 'http-request no-such-action' },
        /input "lb-snippet": haproxy refuses it \(nothing was changed\):.*no-such-action/,
      );
    });

    it('HAProxy: env values arrive byte for byte; a quoted health-path with a query is checked; files 0600 in 0700', async () => {
      const env: Record<string, string> = {
        PW: 'pa$word',
        LEAK: '${HOME}',
        SUB: '$(id) and `id`',
        QUOTES: `"double" 'single' \\back\\slash`,
        EQ: 'a=b=c, d',
        SPACES: '  lead and trail  ',
        UNI: 'grüße ✓ 日本',
      };
      const r = await hap.run('deploy', {
        image: 'sksafe-app:1',
        'health-path': '/ready?deep=1&x=$y',
        // A valid snippet: haproxy -c passes it, and it takes effect.
        'lb-snippet': 'http-response set-header X-Snippet "a b"',
        env: Object.entries(env)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
        'auto-promote': 'true',
      });
      expect(r.text).toMatch(/runs on blue, ready for promotion/);
      expect(r.code).toBe(0);
      const [replica] = await colourReplicas(hap.settings(), 'blue');
      const [c] = await inspect<{ Config: { Env: string[] } }>([replica.id], 'container');
      const got = Object.fromEntries(
        c.Config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
      );
      for (const [k, v] of Object.entries(env)) expect(got[k], k).toBe(v);
      // The HAProxy health check of the quoted path sent that path: the replica is UP and serves.
      expect(readFileSync(join(hap.dir, 'lb', 'haproxy.cfg'), 'utf8')).toContain(
        "option httpchk GET '/ready?deep=1&x=$y'",
      );
      const res = await httpGet(`http://127.0.0.1:${hap.port}/`);
      expect(res.status).toBe(200);
      expect(res.headers['x-snippet']).toBe('a b');
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(join(hap.dir, 'compose'))).toBe(0o700);
      expect(mode(join(hap.dir, 'compose', 'blue.yml'))).toBe(0o600);
      expect(mode(join(hap.dir, 'compose', 'lb.yml'))).toBe(0o600);
    });

    it('a first deploy that fails removes the LB container and the network it created', async () => {
      const first = await ngx.run('deploy', { image: 'sksafe-bad:unhealthy', 'health-timeout': '8s' });
      expect(first.code).toBe(1);
      expect(first.text).toMatch(/deploy of unhealthy to blue failed/);
      expect(first.text).toMatch(/first deploy of sksafe-nginx failed: removing/);
      expect(await leftovers('sksafe-nginx')).toEqual([]);
      // An image nobody can run never gets that far: bad input, exit 2, nothing created.
      await ngx.refused({ image: 'sksafe app:1' }, /input "image": not a valid image reference/);
    });

    it('nginx: an lb-snippet that nginx -t refuses is bad input (exit 2), naming its line; nothing starts', async () => {
      await ngx.refused(
        { 'lb-snippet': 'add_header X-Ok yes always;\nno_such_directive on;' },
        /input "lb-snippet": nginx refuses it.*no_such_directive.*at line 2 of lb-snippet/,
      );
    });
  },
);
