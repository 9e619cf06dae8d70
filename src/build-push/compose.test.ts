import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.js';
import { composeTargets, interpolate, parseDotenv } from './compose.js';

function errorText(fn: () => unknown): string {
  try {
    fn();
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(UserError);
    return String(e);
  }
  throw new Error('expected a UserError');
}

const base = {
  path: '/p/compose.yml',
  env: { REG: '127.0.0.1:5000', TAG: '7' },
  project: 'shop',
  services: [],
  tagNames: [],
  push: true,
};

const file = `
services:
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
      labels:
        - team=shop
  worker:
    image: \${REG}/skbp-worker
    build: ./worker
`;

describe('composeTargets', () => {
  it('makes one target per service with build:, resolving paths and variables like compose', () => {
    const t = composeTargets(file, { ...base, tagNames: ['1.2.3'] });
    expect(t.map((x) => x.name)).toEqual(['web', 'worker']);
    expect(t[0]).toMatchObject({
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
    expect(t[1]).toMatchObject({
      context: '/p/worker',
      file: undefined,
      tags: ['127.0.0.1:5000/skbp-worker:latest', '127.0.0.1:5000/skbp-worker:1.2.3'],
    });
  });

  it('filters services and reports unknown ones', () => {
    expect(composeTargets(file, { ...base, services: ['worker'] }).map((x) => x.name)).toEqual(['worker']);
    expect(() => composeTargets(file, { ...base, services: ['nope'] })).toThrow(/no such service: nope/);
  });

  it('names file, line and field when a pushed service has no image', () => {
    const text = 'services:\n  web:\n    build: .\n';
    expect(errorText(() => composeTargets(text, base))).toBe(
      '/p/compose.yml:3: services.web: has `build:` but no `image:`, so there is nowhere to push it (add image: registry/name:tag)',
    );
  });

  it('gives a local <project>-<service> tag when not pushing', () => {
    expect(composeTargets('services:\n  web:\n    build: .\n', { ...base, push: false })[0].tags).toEqual([
      'shop-web:latest',
    ]);
  });

  it('refuses an invalid image after interpolation, and YAML errors with their line', () => {
    expect(
      errorText(() => composeTargets('services:\n  web:\n    image: "$(touch x)"\n    build: .\n', base)),
    ).toBe('/p/compose.yml:3: services.web.image: invalid image reference "$(touch x)"');
    expect(() => composeTargets('services:\n  web: [\n', base)).toThrow(UserError);
    expect(() => composeTargets('services:\n  web:\n    image: nginx\n', base)).toThrow(
      /no service has a `build:` section/,
    );
  });
});

describe('interpolate and .env', () => {
  it('supports the compose forms', () => {
    const env = { A: 'x', E: '' };
    expect(interpolate('$A-${A}-${B:-d}-${E:-d}-${E-d}-$$A', env)).toBe('x-x-d-d--$A');
    expect(() => interpolate('${B:?set B}', env)).toThrow('required variable B is not set: set B');
  });
  it('parses .env files', () => {
    expect(parseDotenv('# c\nA=1\nexport B="two words"\nbad\n')).toEqual({ A: '1', B: 'two words' });
  });
});
