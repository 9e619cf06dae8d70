import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputsFrom } from '../core/inputs.js';
import { execute } from '../core/run.js';
import { MemoryPlatform } from '../platform/memory.js';
import { step } from './step.js';
import { tempDir } from '../../test/helpers/tmp.js';

// The whole step through the runner, against an in-process server on 127.0.0.1.
let server: http.Server;
let url = '';
beforeAll(async () => {
  let n = 0;
  server = http.createServer((req, res) => {
    res
      .writeHead(200, { 'X-Served-By': `b${n++ % 2}`, 'Content-Type': 'application/json' })
      .end(JSON.stringify({ headers: req.headers }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const dir = tempDir('sksmoke-step-');

describe('smoke step', () => {
  it('runs several targets from a config file and fails with expected vs seen, hiding secrets', async () => {
    const config = join(dir, 'smoke.yml');
    writeFileSync(
      config,
      `defaults:\n  requests: 10\n  concurrency: 2\ntargets:\n  - name: two\n    url: ${url}\n    min-backends: 2\n  - name: three\n    url: ${url}\n    min-backends: 3\n    headers:\n      Authorization: Bearer s3cr3t-token\n`,
    );
    const platform = new MemoryPlatform(false);
    const code = await execute(step, inputsFrom({ config, 'report-dir': dir }), platform);
    expect(code).toBe(1);
    expect(platform.outputs.get('passed')).toBe('false');
    expect(platform.outputs.get('requests')).toBe('20');
    expect(platform.outputs.get('failed-checks')).toMatch(
      /^three: distinct backends: expected at least 3 distinct backend\(s\) \(from header X-Served-By\); seen 2: b\d ×5, b\d ×5$/,
    );
    expect(platform.text()).toContain('error: 1 smoke check(s) failed: three: distinct backends');
    const junit = readFileSync(join(dir, 'smoke-junit.xml'), 'utf8');
    expect(junit).toContain('<testsuites name="shipkit smoke" tests="6" failures="1">');
    expect(JSON.stringify(platform.lines) + readFileSync(join(dir, 'smoke.json'), 'utf8')).not.toContain(
      's3cr3t-token',
    );
  });

  it('a bad config file is a one-line user error naming file, line and field (exit 2)', async () => {
    const config = join(dir, 'bad.yml');
    writeFileSync(config, `targets:\n  - url: ${url}\n    concurrency: lots\n`);
    const platform = new MemoryPlatform(false);
    expect(await execute(step, inputsFrom({ config }), platform)).toBe(2);
    const errors = platform.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.message)).toEqual([
      'targets[0].concurrency: expected a whole number, got "lots"',
    ]);
    expect(errors[0].annotation).toMatchObject({ file: config, line: 3 });
  });

  it('a missing config file and a missing url are user errors', async () => {
    const p1 = new MemoryPlatform(false);
    expect(await execute(step, inputsFrom({ config: join(dir, 'nope.yml') }), p1)).toBe(2);
    expect(p1.text()).toContain('input "config": cannot read the smoke config: ENOENT');
    expect(p1.lines.find((l) => l.level === 'error')?.annotation?.file).toMatch(/nope\.yml$/);
    const p2 = new MemoryPlatform(false);
    expect(await execute(step, inputsFrom({}), p2)).toBe(2);
    expect(p2.text()).toContain('input "url": is required');
  });
});
