import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/exec.js';
import { InputReader, inputsFrom } from '../../src/core/inputs.js';
import { runTarget, type TargetResult } from '../../src/smoke/run.js';
import { readTarget } from '../../src/smoke/spec.js';
import { missingCommand } from '../helpers/host.js';
import { tempDir } from '../helpers/tmp.js';

// Real certificates made with openssl in the test: a CA, an intermediate that expires in 20 days,
// a good leaf (90 days, localhost), an expired leaf (`openssl ca` with dates in the past) and a
// leaf for another host; served by node https servers on 127.0.0.1.
const skip = missingCommand('openssl', ['version']);
const dir = tempDir('sksmoke-tls-');
const f = (name: string) => join(dir, name);
const ssl = (...args: string[]) => exec('openssl', args, { cwd: dir });
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCerts(): Promise<void> {
  await ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '3650',
    '-subj',
    '/CN=sksmoke-test-ca',
  );
  writeFileSync(f('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  writeFileSync(f('leaf.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n');
  writeFileSync(f('other.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:other.example\n');
  await ssl('req', ...ec, '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=sksmoke-intermediate');
  await ssl(
    'x509',
    '-req',
    '-in',
    'int.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '20',
    '-extfile',
    'ca.ext',
    '-out',
    'int.pem',
  );
  await ssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
  await ssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'int.pem',
    '-CAkey',
    'int.key',
    '-CAcreateserial',
    '-days',
    '90',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.pem',
  );
  await ssl('req', ...ec, '-keyout', 'other.key', '-out', 'other.csr', '-subj', '/CN=other.example');
  await ssl(
    'x509',
    '-req',
    '-in',
    'other.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '90',
    '-extfile',
    'other.ext',
    '-out',
    'other.pem',
  );
  // openssl 3.0's x509 cannot set dates in the past; `openssl ca` can (-startdate/-enddate).
  mkdirSync(f('newcerts'));
  writeFileSync(f('index.txt'), '');
  writeFileSync(f('serial'), '1000\n');
  writeFileSync(
    f('ca.cnf'),
    [
      '[ca]',
      'default_ca = d',
      '[d]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir/newcerts',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = p',
      '[p]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  await ssl(
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.pem',
    '-keyfile',
    'ca.key',
    '-in',
    'leaf.csr',
    '-out',
    'expired.pem',
    '-notext',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
    '-extfile',
    'leaf.ext',
  );
}

const servers: https.Server[] = [];
async function serve(cert: string, key: string, opts: https.ServerOptions = {}): Promise<number> {
  const server = https.createServer(
    { cert: readFileSync(f(cert)), key: readFileSync(f(key)), ...opts },
    (req, res) => {
      res
        .writeHead(200, { 'X-Served-By': 'tls-backend', 'Content-Type': 'application/json' })
        .end(JSON.stringify({ hostname: 'tls-backend', headers: req.headers }));
    },
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const ports = { good: 0, expired: 0, other: 0, old: 0 };
const run = (port: number, extra: Record<string, string> = {}): Promise<TargetResult> =>
  runTarget(
    readTarget(
      new InputReader(
        inputsFrom({
          url: `https://127.0.0.1:${port}/`,
          requests: 5,
          concurrency: 1,
          'ready-timeout': '300ms',
          'tls-ca': f('ca.pem'),
          'tls-servername': 'localhost',
          ...extra,
        }),
      ),
    ),
  );
const failed = (r: TargetResult) =>
  Object.fromEntries(r.checks.filter((c) => !c.passed).map((c) => [c.name, c.seen]));

describe.skipIf(skip)(
  `smoke TLS checks with real openssl certificates${skip ? ` — skipped: ${skip}` : ''}`,
  () => {
    beforeAll(async () => {
      await makeCerts();
      writeFileSync(f('chain.pem'), readFileSync(f('leaf.pem'), 'utf8') + readFileSync(f('int.pem'), 'utf8'));
      writeFileSync(f('expired-chain.pem'), readFileSync(f('expired.pem'), 'utf8'));
      ports.good = await serve('chain.pem', 'leaf.key');
      ports.expired = await serve('expired-chain.pem', 'leaf.key');
      ports.other = await serve('other.pem', 'other.key');
      ports.old = await serve('chain.pem', 'leaf.key', { maxVersion: 'TLSv1.2' });
    });
    afterAll(async () => {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    });

    it('a good chain passes; the leaf is fine but the intermediate expiring in 20 days fails the chain threshold', async () => {
      const r = await run(ports.good, {
        'tls-min-days': '30',
        'tls-min-days-chain': '30',
        'tls-min-version': 'TLSv1.2',
      });
      expect(r.tls).toMatchObject({
        protocol: 'TLSv1.3',
        subject: 'localhost',
        issuer: 'sksmoke-intermediate',
      });
      expect(r.tls!.leafDaysLeft).toBeGreaterThan(89);
      expect(Object.keys(failed(r))).toEqual(['tls chain expiry']);
      expect(failed(r)['tls chain expiry']).toMatch(
        /^earliest: sksmoke-intermediate, 19\.\d days left \(not after 20\d\d-/,
      );
      expect(r.load.failures).toBe(0);
    });

    it('an expired leaf fails chain verification and the expiry check, and every request fails', async () => {
      const r = await run(ports.expired, { 'tls-min-days': '7' });
      const seen = failed(r);
      expect(seen['tls chain']).toBe('CERT_HAS_EXPIRED');
      expect(seen['tls leaf expiry']).toMatch(
        /^-\d+(\.\d)? days left \(not after 2020-02-01T00:00:00\.000Z\)$/,
      );
      expect(seen.status).toBe('5 of 5 failed (100%); statuses: CERT_HAS_EXPIRED ×5');
    });

    it('a certificate for another host fails the hostname check with the names it has', async () => {
      const r = await run(ports.other);
      expect(failed(r)['tls hostname']).toBe(
        "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:other.example",
      );
      expect(failed(r)['tls chain']).toBeUndefined();
    });

    // Issue 12, item 7: a certificate cannot heal, so the readiness wait stops at the first error
    // instead of retrying for the whole ready-timeout (30 s here; the fixed code answers in ms).
    const certCases: { name: string; port: () => number; extra: Record<string, string>; code: string }[] = [
      { name: 'expired', port: () => ports.expired, extra: {}, code: 'CERT_HAS_EXPIRED' },
      { name: 'wrong host', port: () => ports.other, extra: {}, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      {
        name: 'unknown CA',
        port: () => ports.good,
        extra: { 'tls-ca': '' },
        code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      },
    ];
    for (const c of certCases) {
      it(`readiness stops at the first certificate error: ${c.name}`, async () => {
        const r = await run(c.port(), { 'ready-timeout': '30s', requests: '1', ...c.extra });
        const ready = r.checks.find((x) => x.name === 'ready')!;
        expect(ready.passed).toBe(false);
        expect(ready.seen).toMatch(
          new RegExp(
            `^certificate error ${c.code} after \\d+ ms; not retried, as waiting cannot fix a certificate$`,
          ),
        );
        expect(r.readyMs).toBeLessThan(15_000);
      });
    }

    it('a server that stops at TLSv1.2 fails a TLSv1.3 minimum', async () => {
      const r = await run(ports.old, { 'tls-min-version': 'TLSv1.3' });
      expect(failed(r)).toEqual({ 'tls version': 'TLSv1.2' });
    });
  },
);
