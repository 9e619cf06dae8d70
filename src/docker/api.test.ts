import { afterEach, describe, expect, it } from 'vitest';
import { answer, closeEngine, engine, LOST, NO_LEADER } from '../../test/helpers/local-engine.js';
import { DockerApiError, isElectionError } from './api.js';

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
