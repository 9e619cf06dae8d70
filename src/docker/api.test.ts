import { afterEach, describe, expect, it } from 'vitest';
import { answer, closeEngine, engine, LOST, NO_LEADER } from '../../test/helpers/local-engine.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEngine, DockerApiError, isElectionError } from './api.js';

afterEach(closeEngine);

describe('isElectionError', () => {
  const rows = [
    {
      name: '500 context deadline exceeded',
      err: new DockerApiError(500, 'GET /nodes', LOST),
      expected: true,
    },
    { name: '500 no leader', err: new DockerApiError(500, 'GET /nodes', NO_LEADER), expected: true },
    { name: '503 any text', err: new DockerApiError(503, 'GET /nodes', 'unavailable'), expected: true },
    {
      name: '500 other',
      err: new DockerApiError(500, 'POST /services/create', 'invalid mount'),
      expected: false,
    },
    {
      name: '409 name taken',
      err: new DockerApiError(409, 'POST /configs/create', 'name conflicts'),
      expected: false,
    },
    {
      name: 'a node that does not answer',
      err: new Error('GET /nodes: connect ECONNREFUSED'),
      expected: false,
    },
  ];
  for (const r of rows) it(r.name, () => expect(isElectionError(r.err)).toBe(r.expected));
});

describe('DockerApi retries during an election (contract test, local engine)', () => {
  it('a read answered "context deadline exceeded" twice, then the answer: returns it, says it waited', async () => {
    let n = 0;
    const { api, lines } = await engine((_q, _b, res) =>
      ++n <= 2 ? answer(res, 500, { message: LOST }) : answer(res, 200, [{ ID: 'a' }]),
    );
    expect(await api.get('/nodes')).toEqual([{ ID: 'a' }]);
    expect(n).toBe(3);
    expect(lines[0]).toMatch(
      /GET \/nodes: the swarm managers have no leader yet \(rpc error.*retrying for up to \d+ s more/,
    );
  });

  it('a real failure (500 that is no election) is thrown at once', async () => {
    let n = 0;
    const { api } = await engine((_q, _b, res) => (n++, answer(res, 500, { message: 'invalid filter' })));
    await expect(api.get('/tasks')).rejects.toThrow(/invalid filter \(HTTP 500\)/);
    expect(n).toBe(1);
  });

  it('no leader for longer than the window: the last error, naming the wait', async () => {
    const { api } = await engine((_q, _b, res) => answer(res, 503, { message: NO_LEADER }));
    const err = await api.get('/nodes', undefined, 400).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerApiError);
    expect((err as DockerApiError).status).toBe(503);
    expect((err as Error).message).toMatch(/does not have a leader.*still so after \d+ s of retries/);
  });

  it('a delete whose answer was lost: the retry finds it gone (404) and counts it done', async () => {
    let n = 0;
    const { api } = await engine((_q, _b, res) =>
      ++n === 1 ? answer(res, 500, { message: LOST }) : answer(res, 404, { message: 'config not found' }),
    );
    await expect(api.delete('/configs/abc')).resolves.toBeUndefined();
    expect(n).toBe(2);
  });
});

describe('cliEngine: the engine the docker CLI would use, when known without running it', () => {
  const dirs: string[] = [];
  const config = (json?: string) => {
    const d = mkdtempSync(join(tmpdir(), 'skbp-cfg-'));
    dirs.push(d);
    if (json !== undefined) writeFileSync(join(d, 'config.json'), json);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const local = { socketPath: '/var/run/docker.sock', label: 'unix:///var/run/docker.sock' };
  const rows: {
    name: string;
    env: () => Record<string, string>;
    platform?: NodeJS.Platform;
    expected: unknown;
  }[] = [
    {
      name: 'nothing set, no config: the default socket',
      env: () => ({ DOCKER_CONFIG: config() }),
      expected: local,
    },
    {
      name: 'a config without a context (auths only)',
      env: () => ({ DOCKER_CONFIG: config('{"auths":{}}') }),
      expected: local,
    },
    {
      name: 'currentContext "default"',
      env: () => ({ DOCKER_CONFIG: config('{"currentContext":"default"}') }),
      expected: local,
    },
    {
      name: 'currentContext of another engine: the CLI decides',
      env: () => ({ DOCKER_CONFIG: config('{"currentContext":"desktop-linux"}') }),
      expected: undefined,
    },
    {
      name: 'a config that is not JSON: the CLI decides (and warns)',
      env: () => ({ DOCKER_CONFIG: config('{not json') }),
      expected: undefined,
    },
    {
      name: 'a config that is JSON null',
      env: () => ({ DOCKER_CONFIG: config('null') }),
      expected: undefined,
    },
    {
      name: 'DOCKER_CONTEXT=default',
      env: () => ({ DOCKER_CONFIG: config(), DOCKER_CONTEXT: 'default' }),
      expected: local,
    },
    {
      name: 'DOCKER_CONTEXT of another engine',
      env: () => ({ DOCKER_CONTEXT: 'remote' }),
      expected: undefined,
    },
    {
      name: 'DOCKER_HOST a unix socket (rootless): that socket, whatever the config says',
      env: () => ({
        DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
        DOCKER_CONFIG: config('{"currentContext":"remote"}'),
      }),
      expected: { socketPath: '/run/user/1000/docker.sock', label: 'unix:///run/user/1000/docker.sock' },
    },
    { name: 'DOCKER_HOST tcp', env: () => ({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }), expected: undefined },
    { name: 'DOCKER_HOST ssh', env: () => ({ DOCKER_HOST: 'ssh://me@build-host' }), expected: undefined },
    {
      name: 'DOCKER_HOST with a relative path',
      env: () => ({ DOCKER_HOST: 'unix://docker.sock' }),
      expected: undefined,
    },
    {
      name: 'DOCKER_HOST and DOCKER_CONTEXT both set: the CLI decides',
      env: () => ({ DOCKER_HOST: 'unix:///var/run/docker.sock', DOCKER_CONTEXT: 'default' }),
      expected: undefined,
    },
    {
      name: 'Windows (named pipes)',
      env: () => ({ DOCKER_CONFIG: config() }),
      platform: 'win32',
      expected: undefined,
    },
  ];
  for (const r of rows)
    it(r.name, () =>
      expect(cliEngine(r.env(), '/nonexistent-home', r.platform ?? 'linux')).toEqual(r.expected),
    );

  it('reads ~/.docker/config.json when DOCKER_CONFIG is not set', () => {
    const home = config();
    mkdirSync(join(home, '.docker'));
    writeFileSync(join(home, '.docker', 'config.json'), '{"currentContext":"colima"}');
    expect(cliEngine({}, home, 'linux')).toBeUndefined();
    expect(cliEngine({}, '/nonexistent-home', 'linux')).toEqual(local);
  });
});
