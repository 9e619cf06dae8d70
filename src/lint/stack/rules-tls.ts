import type { X509Certificate } from 'node:crypto';
import { crypto } from '../../core/builtins.js';
import { posix } from 'node:path';
import { httpContexts, inherited, type XDirective } from './nginx-model.js';
import { readInside } from './files.js';
import type { At, Balancer, Stack, StackFinding } from './types.js';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

type Loaded = { cert: X509Certificate; file: string } | { error: string; file: string } | undefined;

/** The first certificate of a file a balancer gets at `target` (undefined: not a project file). */
function loadCert(stack: Stack, b: Balancer, target: string): Loaded {
  const hit = b.files.get(posix.normalize(target));
  if (!hit) return undefined;
  const r = readInside(stack.root, hit.source, stack.options.maxFileSize);
  if (!r.ok) return undefined;
  const file = posix.relative(process.cwd(), r.path);
  const pem = PEM.exec(r.text)?.[0];
  if (!pem) return { error: 'holds no PEM certificate', file };
  try {
    return { cert: new (crypto().X509Certificate)(pem), file };
  } catch (err: unknown) {
    return { error: `does not parse (${(err as Error).message})`, file };
  }
}

/** DNS and IP names of a certificate (the CN when it has no subjectAltName). */
export function certNames(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (san)
    return san.split(/,\s*/).flatMap((e) => (/^(DNS|IP Address):/.test(e) ? [e.replace(/^[^:]+:/, '')] : []));
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  return cn ? [cn] : [];
}

/** The certificate is valid for `name` (a host, an IP, or an nginx `*.x` / `.x` wildcard name). */
export function covers(cert: X509Certificate, name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.startsWith('*.')) return certNames(cert).some((c) => c.toLowerCase() === n);
  if (n.startsWith('.')) return covers(cert, n.slice(1)) && covers(cert, `*${n}`);
  if (/^[\d.]+$/.test(n) || n.includes(':')) return cert.checkIP(n) !== undefined;
  return cert.checkHost(n) !== undefined;
}

function checkCert(
  stack: Stack,
  c: Loaded,
  at: At,
  names: { list: string[]; at: At } | undefined,
  out: StackFinding[],
) {
  if (!c) return;
  if ('error' in c) {
    out.push({ code: 'SK0001', ...at, message: `the certificate ${c.file} ${c.error}` });
    return;
  }
  const to = new Date(c.cert.validTo);
  const days = (to.getTime() - stack.options.now.getTime()) / 86_400_000;
  if (days < 0)
    out.push({
      code: 'SK6001',
      ...at,
      message: `the certificate ${c.file} expired on ${to.toISOString().slice(0, 10)}: every client refuses the handshake`,
    });
  else if (days < stack.options.certDays)
    out.push({
      code: 'SK6002',
      ...at,
      message: `the certificate ${c.file} expires on ${to.toISOString().slice(0, 10)}, in ${Math.floor(days)} day(s) (limit: ${stack.options.certDays}): renew it`,
    });
  const missing = names?.list.filter((n) => !covers(c.cert, n)) ?? [];
  if (names && missing.length)
    out.push({
      code: 'SK6003',
      ...names.at,
      message: `the certificate ${c.file} (${certNames(c.cert).join(', ') || 'no names'}) does not cover ${missing.join(', ')}: clients refuse it for ${missing.length > 1 ? 'those names' : 'that name'}`,
    });
}

function nginxTls(stack: Stack, b: Balancer, http: XDirective[], out: StackFinding[]) {
  for (const server of http.filter((d) => d.name === 'server' && d.block)) {
    const levels = [http, server.block!];
    const certs = server.block!.filter((d) => d.name === 'ssl_certificate');
    const list = certs.length
      ? certs
      : [inherited(levels, 'ssl_certificate')].filter((d): d is XDirective => !!d);
    const sn = server.block!.find((d) => d.name === 'server_name');
    const names = sn?.args.filter((n) => n && n !== '_' && !n.startsWith('~') && !n.includes('$'));
    for (const d of list) {
      if (!d.args[0] || d.args[0].includes('$')) continue;
      const loaded = loadCert(stack, b, posix.resolve('/etc/nginx', d.args[0]));
      checkCert(stack, loaded, d, sn && names?.length ? { list: names, at: sn } : undefined, out);
    }
  }
}

const SNI_FETCH = /^(hdr\(host\)|req\.hdr\(host\)|hdr_dom\(host\)|ssl_fc_sni|req\.ssl_sni|req_ssl_sni)$/;

/** Host names a HAProxy frontend routes on (ACLs on Host or SNI with -i / exact values). */
function haNames(words: string[][]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const k = w.findIndex((x) => SNI_FETCH.test(x));
    if (k < 0) continue;
    for (const v of w.slice(k + 1)) {
      if (v === '}' || v === 'if' || v === 'unless' || v === 'or' || v === '||') break;
      if (!v.startsWith('-') && /^[a-z0-9*.-]+$/i.test(v) && v.includes('.'))
        out.push(v.replace(/:\d+$/, ''));
    }
  }
  return [...new Set(out)];
}

function haproxyTls(stack: Stack, b: Balancer, out: StackFinding[]) {
  for (const f of b.haproxy)
    for (const sec of f.sections) {
      if (sec.kind !== 'frontend' && sec.kind !== 'listen') continue;
      const names = haNames(sec.lines.map((l) => l.words));
      for (const l of sec.lines) {
        if (l.words[0] !== 'bind') continue;
        const at = { file: f.file, line: l.line };
        l.words.forEach((w, k) => {
          if (w !== 'crt' || !l.words[k + 1]) return;
          const target = posix.resolve('/', l.words[k + 1]);
          const inDir = [...b.files.keys()].filter(
            (t) => t.startsWith(target + '/') && /\.(pem|crt)$/.test(t),
          );
          const loaded = (inDir.length ? inDir : [target]).map((t) => loadCert(stack, b, t));
          const certs = loaded.filter(
            (c): c is { cert: X509Certificate; file: string } => !!c && 'cert' in c,
          );
          for (const c of loaded) checkCert(stack, c, at, undefined, out);
          const missing = names.filter((n) => !certs.some((c) => covers(c.cert, n)));
          if (certs.length && missing.length)
            out.push({
              code: 'SK6003',
              ...at,
              message: `no certificate under ${l.words[k + 1]} covers ${missing.join(', ')}, which this frontend routes on: clients refuse the handshake for ${missing.length > 1 ? 'those names' : 'that name'}`,
            });
        });
      }
    }
}

/** TLS rules: SK6001 (expired), SK6002 (expiring), SK6003 (names not covered). */
export function tlsRules(stack: Stack): StackFinding[] {
  const out: StackFinding[] = [];
  for (const b of stack.balancers) {
    for (const http of httpContexts(stack, b)) nginxTls(stack, b, http, out);
    haproxyTls(stack, b, out);
  }
  return out;
}
