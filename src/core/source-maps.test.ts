import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapStack } from './source-maps.js';

describe('mapStack: stack traces from the bundles point at the TypeScript source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipkit-sourcemap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps frames of a minified, split bundle with linked maps (as scripts/build.mjs builds) to file:line', async () => {
    writeFileSync(
      join(dir, 'deep.ts'),
      ['// line 1', 'export function explode(): never {', "  throw new Error('kaboom');", '}', ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'entry.ts'),
      ["import { explode } from './deep.js';", '', 'explode();', ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'other.ts'),
      ["import { explode } from './deep.js';", 'explode();', ''].join('\n'),
    );
    await build({
      absWorkingDir: dir,
      entryPoints: ['entry.ts', 'other.ts'],
      outdir: join(dir, 'out'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      minify: true,
      sourcemap: 'linked',
      sourcesContent: false,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
    const run = spawnSync(process.execPath, [join(dir, 'out', 'entry.mjs')], { encoding: 'utf8' });
    const stack = run.stderr.slice(run.stderr.indexOf('Error: kaboom'));
    expect(stack).toMatch(/chunk-\w+\.mjs:1:\d+/);
    const mapped = mapStack(stack);
    expect(mapped).toContain(`${join(dir, 'deep.ts')}:3:9`);
    expect(mapped).toContain(`${join(dir, 'entry.ts')}:3:1`);
    expect(mapped).not.toMatch(/chunk-\w+\.mjs/);
  });

  it('leaves frames without a map, node internals and text as they are', () => {
    const stack = [
      'Error: x',
      `    at f (${join(dir, 'nomap.js')}:1:2)`,
      '    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)',
    ].join('\n');
    expect(mapStack(stack)).toBe(stack);
  });
});
