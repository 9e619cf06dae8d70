import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli } from './blue-green/helpers.js';

describe('the CLI piped into head', () => {
  let cli: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sk-pipe-'));
    cli = await bundleCli(dir);
    // Enough findings (thousands of lines) that the CLI still writes after head has gone.
    for (let i = 0; i < 300; i++)
      writeFileSync(join(dir, `d${i}.Dockerfile`), 'FROM debian\nRUN apt-get install curl\nMAINTAINER x\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const piped = (stage: string) =>
    spawnSync(
      'bash',
      ['-c', `node "${cli}" lint d*.Dockerfile ${stage} | head -1; exit "\${PIPESTATUS[0]}"`],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );

  it('stdout closed early: exits with its own code, no EPIPE stack trace', () => {
    const r = piped('');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stdout).toMatch(/DL3006/);
    expect(r.stderr).not.toMatch(/EPIPE|node:events|Unhandled/);
    // 1: lint found problems, as it would have said with the whole output read.
    expect(r.status).toBe(1);
  });

  it('stderr closed early as well (2>&1 | head): quiet, same exit code', () => {
    // --no-fail: lint's own code is 0, so a crash (exit 1) cannot pass for it.
    const r = piped('--no-fail 2>&1');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
