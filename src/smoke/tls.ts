import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls';
import { tls } from '../core/builtins.js';
import type { TlsVersion } from './spec.js';
import { TLS_VERSIONS } from './spec.js';

/** What one TLS handshake showed: chain trust, hostname match, expiry and protocol. */
export interface TlsFacts {
  protocol: string;
  /** `undefined` when the chain verifies against the CA (or the system store). */
  chainError?: string;
  /** `undefined` when the certificate matches the server name. */
  hostnameError?: string;
  subject: string;
  issuer: string;
  leafNotAfter: Date;
  leafDaysLeft: number;
  /** The certificate in the presented chain that expires first (blackbox_exporter's earliest expiry). */
  earliest: { subject: string; notAfter: Date; daysLeft: number };
}

const DAY = 86_400_000;

const cn = (name: { CN?: string | string[] } | undefined): string => {
  const v = name?.CN;
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
};

/** Days from `now` to `notAfter` (negative once expired), to one decimal. */
export function daysLeft(notAfter: Date, now = Date.now()): number {
  return Math.floor(((notAfter.getTime() - now) / DAY) * 10) / 10;
}

/** The certificates the server presented, leaf first, stopping at a self-signed root or a loop. */
export function chainOf(leaf: DetailedPeerCertificate): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = leaf;
  while (cert && cert.fingerprint256 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(cert);
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** True when `seen` is at least `min` (TLSv1 < TLSv1.1 < TLSv1.2 < TLSv1.3). */
export function protocolAtLeast(seen: string, min: TlsVersion): boolean {
  const i = TLS_VERSIONS.indexOf(seen as TlsVersion);
  return i >= 0 && i >= TLS_VERSIONS.indexOf(min);
}

/**
 * Does one handshake with verification OFF so every problem can be reported at once, then checks
 * the chain (`authorizationError`) and the hostname (`checkServerIdentity`) separately.
 * Rejects when no handshake is possible at all.
 */
export function inspectTls(
  host: string,
  port: number,
  opts: { ca?: Buffer; servername?: string; timeoutMs: number },
): Promise<TlsFacts> {
  const servername = opts.servername ?? host;
  return new Promise((resolve, reject) => {
    const socket = tls().connect({
      host,
      port,
      ca: opts.ca,
      servername: /^[\d.]+$|:/.test(servername) ? undefined : servername,
      rejectUnauthorized: false,
      timeout: opts.timeoutMs,
    });
    socket.once('timeout', () => socket.destroy(new Error(`TLS handshake with ${host}:${port} timed out`)));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const leaf = socket.getPeerCertificate(true);
      const chain = chainOf(leaf);
      const identity = tls().checkServerIdentity(servername, leaf);
      const dated = chain.map((c) => ({ subject: cn(c.subject), notAfter: new Date(c.valid_to) }));
      const first = dated.reduce((a, b) => (b.notAfter < a.notAfter ? b : a), dated[0]);
      const facts: TlsFacts = {
        protocol: socket.getProtocol() ?? 'unknown',
        // Node folds a hostname mismatch into authorizationError; that is the hostname check's job.
        chainError:
          socket.authorized || String(socket.authorizationError) === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? undefined
            : String(socket.authorizationError),
        hostnameError: identity?.message,
        subject: cn(leaf.subject),
        issuer: cn(leaf.issuer),
        leafNotAfter: new Date(leaf.valid_to),
        leafDaysLeft: daysLeft(new Date(leaf.valid_to)),
        earliest: { ...first, daysLeft: daysLeft(first.notAfter) },
      };
      socket.end();
      resolve(facts);
    });
  });
}
