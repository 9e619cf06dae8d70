import { afterEach, describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../../core/inputs.js';
import { answer, closeEngine, engine, LOST } from '../../../test/helpers/local-engine.js';
import { getInputs } from '../step.js';
import { swarmStore } from './store.js';

afterEach(closeEngine);

describe('swarm lock when the answer to its creation was lost (contract test, local engine)', () => {
  it('the retry finds the lock config holding its own data: taken, and released by that id', async () => {
    const configs = new Map<string, { ID: string; Spec: { Name: string; Data: string } }>();
    const calls: string[] = [];
    let creates = 0;
    const { host } = await engine((req, body, res) => {
      calls.push(`${req.method} ${req.url}`);
      if (req.method === 'POST' && req.url === '/configs/create') {
        const spec = JSON.parse(body) as { Name: string; Data: string };
        if (configs.has(spec.Name)) return answer(res, 409, { message: `rpc error: code = AlreadyExists` });
        configs.set(spec.Name, { ID: `id${++creates}`, Spec: spec });
        // The first creation is committed but its answer lost, as when the leader changes meanwhile.
        return creates === 1 ? answer(res, 500, { message: LOST }) : answer(res, 201, { ID: `id${creates}` });
      }
      const name = decodeURIComponent(/^\/configs\/([^?]+)$/.exec(req.url ?? '')?.[1] ?? '');
      const found = [...configs.values()].find((c) => c.Spec.Name === name || c.ID === name);
      if (req.method === 'GET' && found) return answer(res, 200, found);
      if (req.method === 'DELETE' && found) return (configs.delete(found.Spec.Name), answer(res, 204, ''));
      answer(res, 404, { message: 'not found' });
    });
    const s = getInputs(new InputReader(inputsFrom({ command: 'status', name: 'shop', engine: 'swarm' })), {
      DOCKER_HOST: host,
    }).settings;
    const release = await swarmStore.lock(s, 'promote', 'me@test', { timeoutMs: 0 });
    expect([...configs.keys()]).toEqual(['shop-bg-lock']);
    await release();
    expect(configs.size).toBe(0);
    expect(calls).toEqual([
      'POST /configs/create',
      'POST /configs/create',
      'GET /configs/shop-bg-lock',
      'DELETE /configs/id1',
    ]);
  });

  it('a lock config of someone else found by the retry is not taken', async () => {
    let creates = 0;
    const { host } = await engine((req, _body, res) => {
      if (req.method === 'POST')
        return ++creates === 1
          ? answer(res, 500, { message: LOST })
          : answer(res, 409, { message: 'exists' });
      const other = Buffer.from(
        JSON.stringify({
          pid: 1,
          host: 'elsewhere',
          at: new Date().toISOString(),
          op: 'promote',
          by: 'other@ci',
        }),
      );
      answer(res, 200, { ID: 'x', Spec: { Name: 'shop-bg-lock', Data: other.toString('base64') } });
    });
    const s = getInputs(new InputReader(inputsFrom({ command: 'status', name: 'shop', engine: 'swarm' })), {
      DOCKER_HOST: host,
    }).settings;
    await expect(swarmStore.lock(s, 'promote', 'me@test', { timeoutMs: 0 })).rejects.toThrow(
      /holds the lock .*promote by other@ci/,
    );
  });
});
