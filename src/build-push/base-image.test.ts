import { describe, expect, it } from 'vitest';
import { fromArgs, missingBaseImageMessage } from './base-image.js';

const DOCKERFILE = 'ARG BASE_IMAGE=node:22-alpine\nFROM ${BASE_IMAGE} AS run\nRUN true\n';
const CLASSIC =
  "pull access denied for nope, repository does not exist or may require 'docker login': denied: requested access to the resource is denied";

describe('fromArgs', () => {
  const rows: { name: string; dockerfile: string; expected: [string, string | undefined][] }[] = [
    { name: 'braced, with default', dockerfile: DOCKERFILE, expected: [['BASE_IMAGE', 'node:22-alpine']] },
    { name: 'bare $NAME, no default', dockerfile: 'ARG B\nFROM $B\n', expected: [['B', undefined]] },
    {
      name: 'two args in one reference, flags before it',
      dockerfile: 'ARG REG=docker.io\nARG TAG="22"\nFROM --platform=$BUILDPLATFORM ${REG}/node:${TAG}\n',
      expected: [
        ['REG', 'docker.io'],
        ['TAG', '22'],
      ],
    },
    { name: 'no argument in FROM', dockerfile: 'ARG X=1\nFROM debian:12\n', expected: [] },
    {
      name: 'an ARG after FROM is not a FROM default',
      dockerfile: 'FROM $B\nARG B=x\n',
      expected: [['B', undefined]],
    },
  ];
  for (const row of rows) it(row.name, () => expect([...fromArgs(row.dockerfile)]).toEqual(row.expected));
});

describe('missingBaseImageMessage', () => {
  it('names the build argument and the value given, in one line', () => {
    const m = missingBaseImageMessage(DOCKERFILE, [['BASE_IMAGE', 'nope:1']], CLASSIC);
    expect(m).toBe(`base image not found (build argument BASE_IMAGE=nope:1): ${CLASSIC}`);
    expect(m).not.toContain('\n');
  });
  it('names the default when no value is given (BuildKit wording)', () => {
    const err =
      'ERROR: failed to solve: node:22-alpine: failed to resolve source metadata for docker.io/library/node:22-alpine';
    expect(missingBaseImageMessage(DOCKERFILE, [], err)).toMatch(
      /^base image not found \(build argument BASE_IMAGE=node:22-alpine\)/,
    );
  });
  it('counts an unreachable registry at the FROM step as a missing base image (no network here)', () => {
    const err =
      'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host';
    expect(missingBaseImageMessage(DOCKERFILE, [['BASE_IMAGE', 'node:22-alpine']], err)).toBe(
      `base image not found (build argument BASE_IMAGE=node:22-alpine): ${err}`,
    );
  });
  it('stays out of the way for other failures and for FROM lines without arguments', () => {
    expect(
      missingBaseImageMessage(DOCKERFILE, [], "The command '/bin/sh -c false' returned a non-zero code: 1"),
    ).toBeUndefined();
    expect(missingBaseImageMessage('FROM nope:1\n', [], CLASSIC)).toBeUndefined();
  });
});
