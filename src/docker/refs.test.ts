import { describe, expect, it } from 'vitest';
import { isTagName, parseRef, registryOf, repository } from './refs.js';

describe('parseRef', () => {
  const valid = [
    { ref: 'nginx', registry: undefined, path: 'nginx', tag: undefined },
    { ref: 'acme/web:1.2.3', registry: undefined, path: 'acme/web', tag: '1.2.3' },
    { ref: 'ghcr.io/acme/web:sha-abc1234', registry: 'ghcr.io', path: 'acme/web', tag: 'sha-abc1234' },
    { ref: '127.0.0.1:5000/skbp-x:v1', registry: '127.0.0.1:5000', path: 'skbp-x', tag: 'v1' },
    { ref: 'localhost/app', registry: 'localhost', path: 'app', tag: undefined },
    {
      ref: 'registry.gitlab.com/g/sub/p/web:main',
      registry: 'registry.gitlab.com',
      path: 'g/sub/p/web',
      tag: 'main',
    },
  ];
  for (const v of valid) {
    it(`accepts ${v.ref}`, () =>
      expect(parseRef(v.ref)).toMatchObject({ registry: v.registry, path: v.path, tag: v.tag }));
  }
  const invalid = [
    '$(touch /tmp/skbp-pwned)',
    'acme/web:`id`',
    'Acme/Web',
    'web:',
    'web:tag with space',
    'a;b',
    '-rm',
    'web:' + 'x'.repeat(129),
    '',
  ];
  for (const ref of invalid)
    it(`refuses ${JSON.stringify(ref)}`, () => expect(parseRef(ref)).toBeUndefined());

  it('keeps a digest and names repository and registry', () => {
    const r = parseRef(`ghcr.io/a/b@sha256:${'a'.repeat(64)}`)!;
    expect(r.digest).toBe(`sha256:${'a'.repeat(64)}`);
    expect(repository(r)).toBe('ghcr.io/a/b');
    expect(registryOf(parseRef('acme/web')!)).toBe('docker.io');
  });
  it('checks tag names', () => {
    expect(isTagName('1.2.3')).toBe(true);
    expect(isTagName('$(id)')).toBe(false);
  });
});
