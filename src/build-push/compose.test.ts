import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.js';
import { parseConfigOutput, withSources } from '../compose/model.js';
import { composeTargets, type ComposeOptions } from './compose.js';

function errorText(fn: () => unknown): string {
  try {
    fn();
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(UserError);
    return String(e);
  }
  throw new Error('expected a UserError');
}

const base: ComposeOptions = { project: 'shop', services: [], tagNames: [], push: true };

// What the user wrote (for lines), and what compose v1 printed for it with REG=127.0.0.1:5000 TAG=7.
const file = `
services:
  worker:
    image: \${REG}/skbp-worker
    build: ./worker
  lb:
    image: nginx:alpine
  web:
    image: \${REG}/skbp-web:\${TAG:-dev}
    build:
      context: ./web
      dockerfile: Dockerfile.prod
      target: runtime
      args:
        BASE: shipkit/base:bookworm
        EMPTY:
        UNSET:
      labels:
        - team=shop
`;
const printed = `services:
  lb:
    image: nginx:alpine
  web:
    build:
      args:
        BASE: shipkit/base:bookworm
        EMPTY: ''
        UNSET: null
      context: /p/web
      dockerfile: Dockerfile.prod
      labels:
        team: shop
      target: runtime
    image: 127.0.0.1:5000/skbp-web:7
  worker:
    build:
      context: /p/worker
    image: 127.0.0.1:5000/skbp-worker
version: '3.9'
`;
const resolved = (text = file, out = printed) =>
  withSources([{ file: 'compose.yml', text }], parseConfigOutput(1, out));

describe('composeTargets (from the model compose printed)', () => {
  it('makes one target per service with build:, in the order of the file, paths as compose resolved them', () => {
    const t = composeTargets(resolved(), { ...base, tagNames: ['1.2.3'] });
    expect(t.map((x) => x.name)).toEqual(['worker', 'web']);
    expect(t[1]).toMatchObject({
      context: '/p/web',
      file: '/p/web/Dockerfile.prod',
      target: 'runtime',
      buildArgs: [
        ['BASE', 'shipkit/base:bookworm'],
        ['EMPTY', ''],
      ],
      labels: [['team', 'shop']],
      tags: ['127.0.0.1:5000/skbp-web:7', '127.0.0.1:5000/skbp-web:1.2.3'],
    });
    expect(t[0]).toMatchObject({
      context: '/p/worker',
      file: undefined,
      tags: ['127.0.0.1:5000/skbp-worker:latest', '127.0.0.1:5000/skbp-worker:1.2.3'],
    });
  });

  it('reads compose v2 JSON the same way', () => {
    const json = JSON.stringify({
      name: 'shop',
      services: {
        web: {
          build: { context: '/p/web', dockerfile: 'Dockerfile', args: { A: '1', B: null } },
          image: 'r.io/web:1',
          networks: { default: null },
        },
      },
      networks: { default: { name: 'shop_default' } },
    });
    const r = withSources(
      [{ file: 'compose.yml', text: 'services:\n  web:\n    build: ./web\n' }],
      parseConfigOutput(2, json),
    );
    expect(composeTargets(r, base)[0]).toMatchObject({
      file: '/p/web/Dockerfile',
      buildArgs: [['A', '1']],
      tags: ['r.io/web:1'],
    });
  });

  it('filters services and reports unknown ones', () => {
    expect(composeTargets(resolved(), { ...base, services: ['worker'] }).map((x) => x.name)).toEqual([
      'worker',
    ]);
    expect(errorText(() => composeTargets(resolved(), { ...base, services: ['nope'] }))).toBe(
      'compose.yml:2:1: input "services": no such service: nope (services: lb, web, worker)',
    );
  });

  it('names file, line and field when a pushed service has no image', () => {
    const r = resolved(
      'services:\n  web:\n    build: .\n',
      'services:\n  web:\n    build:\n      context: /p\n',
    );
    expect(errorText(() => composeTargets(r, base))).toBe(
      'compose.yml:2:3: services.web: has `build:` but no `image:`, so there is nowhere to push it (add image: registry/name:tag)',
    );
    expect(composeTargets(r, { ...base, push: false })[0].tags).toEqual(['shop-web:latest']);
  });

  it('refuses an invalid image after interpolation at the line of its image:, and a model without builds', () => {
    const r = resolved(
      'services:\n  web:\n    build: .\n    image: "$(touch x)"\n',
      'services:\n  web:\n    build:\n      context: /p\n    image: $$(touch x)\n',
    );
    expect(errorText(() => composeTargets(r, base))).toBe(
      'compose.yml:4:5: services.web.image: invalid image reference "$(touch x)"',
    );
    const none = resolved('services:\n  web:\n    image: nginx\n', 'services:\n  web:\n    image: nginx\n');
    expect(errorText(() => composeTargets(none, base))).toMatch(/no service has a `build:` section/);
  });
});
