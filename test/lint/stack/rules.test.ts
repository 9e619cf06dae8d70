import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_RULES } from '../../../src/lint/stack/catalog.js';
import { certDate, check, copyFixture, FIXTURES, hits, makeCert, project, type Hit } from './helpers.js';

/** Where each rule's bad fixture must be caught (exactly these findings of that code). */
const BAD: Record<string, Hit[]> = {
  SK1001: [['SK1001', 'compose.yml', 8]],
  SK2001: [['SK2001', 'lb/nginx.conf', 7]],
  SK2002: [['SK2002', 'lb/nginx.conf', 6]],
  SK2003: [['SK2003', 'lb/nginx.conf', 11]],
  SK2010: [['SK2010', 'lb/Dockerfile', 5]],
  SK2020: [['SK2020', 'lb/nginx.conf', 11]],
  SK2021: [['SK2021', 'lb/nginx.conf', 13]],
  SK2022: [['SK2022', 'lb/nginx.conf', 11]],
  SK3001: [['SK3001', 'lb/haproxy.cfg', 20]],
  SK3002: [['SK3002', 'lb/haproxy.cfg', 20]],
  SK3003: [['SK3003', 'lb/haproxy.cfg', 19]],
  SK4001: [['SK4001', 'compose.yml', 15]],
  SK4002: [['SK4002', 'compose.yml', 16]],
  SK4010: [['SK4010', 'compose.yml', 2]],
  SK4011: [['SK4011', 'compose.yml', 10]],
  SK5001: [['SK5001', 'compose.yml', 13]],
  SK5002: [['SK5002', 'app/docker-entrypoint.sh', 5]],
};

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('stack rules: every rule catches its bad fixture at the right file and line', () => {
  for (const [code, expected] of Object.entries(BAD)) {
    it(`${code} bad`, () => {
      const found = check(join(FIXTURES, code, 'bad'));
      expect(hits(found.filter((f) => f.code === code))).toEqual(expected);
      // nothing else at warning or error level: the fixture shows one mistake
      expect(
        hits(found.filter((f) => f.code !== code && (f.severity === 'error' || f.severity === 'warning'))),
      ).toEqual([]);
    });
    it(`${code} good: no finding at all`, () => {
      expect(hits(check(join(FIXTURES, code, 'good')))).toEqual([]);
    });
  }
});

describe('TLS rules on certificates made by openssl', () => {
  const cases: [string, string[], number, number, Hit[]][] = [
    ['SK6001', ['shop.example.com'], -400, -10, [['SK6001', 'lb/nginx.conf', 10]]],
    ['SK6002', ['shop.example.com'], -10, 12, [['SK6002', 'lb/nginx.conf', 10]]],
    ['SK6003', ['www.example.org'], -1, 365, [['SK6003', 'lb/nginx.conf', 9]]],
  ];
  for (const [code, names, from, to, expected] of cases) {
    it(`${code} bad: ${names.join(',')} valid ${from}..${to} days`, () => {
      const dir = copyFixture(`${code}/bad`);
      made.push(dir);
      makeCert(join(dir, 'certs'), 'shop', names, certDate(from), certDate(to));
      const found = check(dir);
      expect(hits(found.filter((f) => f.code.startsWith('SK6')))).toEqual(expected);
    });
    it(`${code} good: a year-long certificate for shop.example.com`, () => {
      const dir = copyFixture(`${code}/good`);
      made.push(dir);
      makeCert(join(dir, 'certs'), 'shop', ['shop.example.com'], certDate(-1), certDate(365));
      expect(hits(check(dir))).toEqual([]);
    });
  }
  it('cert-expiry-days moves the SK6002 limit', () => {
    const dir = copyFixture('SK6002/good');
    made.push(dir);
    makeCert(join(dir, 'certs'), 'shop', ['shop.example.com'], certDate(-1), certDate(40));
    expect(hits(check(dir))).toEqual([]);
    expect(hits(check(dir, { certDays: 60 }))).toEqual([['SK6002', 'lb/nginx.conf', 10]]);
  });
});

it('every rule in the catalog has a bad/good fixture pair', () => {
  const withFixtures = new Set([...Object.keys(BAD), 'SK6001', 'SK6002', 'SK6003']);
  const missing = STACK_RULES.filter((r) => !r.code.startsWith('SK0') && !withFixtures.has(r.code));
  expect(missing.map((r) => r.code)).toEqual([]);
});

describe('TLS on HAProxy: bind … crt with a combined PEM', () => {
  const cfg = (acl: string) =>
    `defaults\n    mode http\nfrontend web\n    bind :8443 ssl crt /usr/local/etc/haproxy/certs/site.pem\n${acl}    default_backend app\nbackend app\n    server a 127.0.0.1:3000\n`;
  function stack(names: string[], from: number, to: number, acl = '') {
    const dir = project({
      'compose.yml':
        'services:\n  lb:\n    image: haproxy\n    volumes:\n      - ./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg\n      - ./certs:/usr/local/etc/haproxy/certs\n',
      'haproxy.cfg': cfg(acl),
    });
    made.push(dir);
    makeCert(join(dir, 'tmp'), 'site', names, certDate(from), certDate(to));
    mkdirSync(join(dir, 'certs'));
    writeFileSync(
      join(dir, 'certs', 'site.pem'),
      readFileSync(join(dir, 'tmp', 'site.crt'), 'utf8') + readFileSync(join(dir, 'tmp', 'site.key'), 'utf8'),
    );
    return dir;
  }
  it('expired, and names that do not cover the Host the frontend routes on: at the bind line', () => {
    expect(hits(check(stack(['shop.example.com'], -100, -1)))).toEqual([['SK6001', 'haproxy.cfg', 4]]);
    const acl = '    acl shop hdr(host) -i shop.example.com api.example.com\n    use_backend app if shop\n';
    expect(hits(check(stack(['shop.example.com'], -1, 365, acl)))).toEqual([['SK6003', 'haproxy.cfg', 4]]);
    expect(hits(check(stack(['shop.example.com', 'api.example.com'], -1, 365, acl)))).toEqual([]);
  });
});
