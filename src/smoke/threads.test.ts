import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions } from '../../scripts/bundle-options.mjs';

// Load threads run the senders and the loop from their source text. In dist/ that text is
// minified with keepNames, where a slip (a named inner function, a module-level name) would only
// show at run time: so this runs a threaded load from a bundle built with dist/'s options.
let server: http.Server;
let url = '';
let connections = 0;
let dir = '';
let bundle = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ headers: req.headers }));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  dir = mkdtempSync(join(tmpdir(), 'sksmoke-threads-'));
  bundle = join(dir, 'load.mjs');
  const entry = `
import { runLoad } from './client.js';
const [url, keepAlive, header] = process.argv.slice(2);
const plan = { url: new URL(url), method: 'GET', headers: JSON.parse(header), keepAlive: keepAlive === '1', timeoutMs: 5000, needBody: true };
const samples = await runLoad(plan, {
  count: 40,
  concurrency: 4,
  threads: 2,
  observe: (r) => ({ backend: JSON.parse(r.body).headers['x-test'] + '/' + r.headers['content-type'] }),
});
console.log(JSON.stringify(samples.map((s) => [s.status, s.backend, s.error])));
`;
  await build({
    ...bundleOptions(),
    stdin: { contents: entry, resolveDir: import.meta.dirname, loader: 'ts', sourcefile: 'entry.ts' },
    outfile: bundle,
  });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((r) => server.close(() => r()));
});

function runBundle(keepAlive: boolean, headers: Record<string, string>): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, url, keepAlive ? '1' : '0', JSON.stringify(headers)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as unknown[]) : reject(new Error(`exit ${code}: ${err}`)),
    );
  });
}

describe('load threads from a bundle built like dist/', () => {
  it('raw client: one new connection per request, replies observed on the main thread', async () => {
    const before = connections;
    const samples = await runBundle(false, { 'X-Test': 'raw' });
    expect(samples).toEqual(Array.from({ length: 40 }, () => [200, 'raw/application/json', null]));
    expect(connections - before).toBe(40);
  });

  it('raw client with keep-alive: one connection per worker of each thread', async () => {
    const before = connections;
    const samples = await runBundle(true, { 'X-Test': 'raw-ka' });
    expect(samples).toEqual(Array.from({ length: 40 }, () => [200, 'raw-ka/application/json', null]));
    expect(connections - before).toBe(4);
  });

  it('node:http sender (a plan the raw client leaves alone) works in the threads too', async () => {
    const before = connections;
    // A plan that sets Connection itself goes through node:http.
    const samples = await runBundle(false, { 'X-Test': 'node', Connection: 'close' });
    expect(samples).toEqual(Array.from({ length: 40 }, () => [200, 'node/application/json', null]));
    expect(connections - before).toBe(40);
  });
});
