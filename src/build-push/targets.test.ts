import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { InputReader, inputsFrom } from '../core/inputs.js';
import type { MetaRequest, MetaResult } from '../meta/api.js';
import { getInputs } from './inputs.js';
import { resolveTargets } from './targets.js';

const FIXTURES = join(import.meta.dirname, '../../test/build-push/fixtures');
const inputs = (values: Record<string, string>) => getInputs(new InputReader(inputsFrom(values)));
const meta: MetaResult = {
  version: '1.2.3',
  tags: ['127.0.0.1:5000/acme/app:1.2.3', '127.0.0.1:5000/acme/app:latest'],
  tagNames: ['1.2.3', 'latest'],
  labels: { 'org.opencontainers.image.version': '1.2.3', team: 'from-meta' },
  annotations: [],
};

describe('resolveTargets and the meta seam', () => {
  it('uses explicit tags and labels as given (the docker/build-push-action vocabulary)', async () => {
    const [t] = await resolveTargets(
      inputs({ context: 'app', tags: 'r/app:1', labels: 'a=b' }),
      FIXTURES,
      {},
    );
    expect(t).toMatchObject({
      name: 'app',
      context: join(FIXTURES, 'app'),
      tags: ['r/app:1'],
      labels: [['a', 'b']],
    });
  });

  it('takes tags and labels from meta when only images is given; input labels override meta', async () => {
    const seen: MetaRequest[] = [];
    const resolveMeta = async (req: MetaRequest) => (seen.push(req), meta);
    const [t] = await resolveTargets(
      inputs({ context: 'app', images: '127.0.0.1:5000/acme/app', labels: 'team=ops' }),
      FIXTURES,
      {},
      resolveMeta,
    );
    expect(seen[0]).toMatchObject({ images: ['127.0.0.1:5000/acme/app'], tags: [], labels: ['team=ops'] });
    expect(t.tags).toEqual(meta.tags);
    expect(t.labels).toEqual([
      ['org.opencontainers.image.version', '1.2.3'],
      ['team', 'ops'],
    ]);
  });

  it('says clearly when images is used before meta is wired, or nothing is given to push to', async () => {
    await expect(
      resolveTargets(inputs({ context: 'app', images: 'acme/app' }), FIXTURES, {}),
    ).rejects.toThrow(/meta step, which is not wired/);
    await expect(resolveTargets(inputs({ context: 'app' }), FIXTURES, {})).rejects.toThrow(
      /nothing to push to/,
    );
    await expect(resolveTargets(inputs({ context: 'nope', tags: 'a/b' }), FIXTURES, {})).rejects.toThrow(
      /does not exist/,
    );
  });
});
