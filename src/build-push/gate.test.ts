import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseImages, buildNeedsLogin } from './gate.js';
import type { ImageTarget } from './plan.js';

describe('baseImages', () => {
  const rows: { name: string; text: string; args?: [string, string][]; expected: string[] | undefined }[] = [
    { name: 'a plain FROM', text: 'FROM debian:bookworm\nRUN x\n', expected: ['debian:bookworm'] },
    { name: 'an ARG default', text: 'ARG BASE=node:22\nFROM ${BASE}\n', expected: ['node:22'] },
    {
      name: 'a build argument wins over the default',
      text: 'ARG BASE=node:22\nFROM $BASE\n',
      args: [['BASE', 'r.io/n:1']],
      expected: ['r.io/n:1'],
    },
    {
      name: 'stages, scratch and --platform',
      text: 'FROM --platform=linux/amd64 golang:1 AS build\nFROM build AS test\nFROM scratch\nCOPY --from=build / /\n',
      expected: ['golang:1'],
    },
    {
      name: 'a ${VAR:-default} in FROM',
      text: 'ARG TAG\nFROM alpine:${TAG:-3.20}\n',
      expected: ['alpine:3.20'],
    },
    { name: 'an unknown argument: cannot say', text: 'FROM ${NOPE}\n', expected: undefined },
    {
      name: 'an ARG after FROM does not count for FROM',
      text: 'FROM a\nARG B=x\nFROM ${B}\n',
      expected: undefined,
    },
    { name: 'a continuation line', text: 'FROM \\\n  r.io/base:1 \\\n  AS b\n', expected: ['r.io/base:1'] },
  ];
  for (const row of rows)
    it(row.name, () => expect(baseImages(row.text, row.args ?? [])).toEqual(row.expected));
});

describe('buildNeedsLogin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skbp-gate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const target = (dockerfile: string, over: Partial<ImageTarget> = {}): ImageTarget => {
    const file = join(dir, `Dockerfile.${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, dockerfile);
    return {
      name: 'x',
      context: dir,
      file,
      buildArgs: [],
      platforms: [],
      tags: [],
      labels: [],
      cacheFrom: [],
      cacheTo: [],
      ...over,
    };
  };
  it('no: base images elsewhere (Docker Hub, a local image)', async () => {
    expect(
      await buildNeedsLogin(
        [target('FROM shipkit/base:bookworm\n'), target('FROM debian\n')],
        '127.0.0.1:5000',
        [],
      ),
    ).toBe(false);
  });
  it('yes: a base image in the registry logged in to', async () => {
    expect(
      await buildNeedsLogin(
        [
          target('FROM debian\n'),
          target('ARG B\nFROM $B\n', { buildArgs: [['B', '127.0.0.1:5000/base:1']] }),
        ],
        '127.0.0.1:5000',
        [],
      ),
    ).toBe(true);
  });
  it('yes: Docker Hub login and a Docker Hub base', async () => {
    expect(await buildNeedsLogin([target('FROM node:22\n')], 'docker.io', [])).toBe(true);
  });
  it('yes: a base it cannot resolve, a missing Dockerfile, a remote context, an explicit cache image there', async () => {
    expect(await buildNeedsLogin([target('FROM ${X}\n')], 'r.io', [])).toBe(true);
    expect(await buildNeedsLogin([{ ...target('FROM a\n'), file: join(dir, 'gone') }], 'r.io', [])).toBe(
      true,
    );
    expect(
      await buildNeedsLogin([target('FROM a\n', { context: 'https://github.com/a/b.git' })], 'r.io', []),
    ).toBe(true);
    expect(await buildNeedsLogin([target('FROM a\n')], 'r.io', ['type=registry,ref=r.io/c:cache'])).toBe(
      true,
    );
    expect(await buildNeedsLogin([target('FROM a\n')], 'r.io', ['other.io/c:cache'])).toBe(false);
  });
});
