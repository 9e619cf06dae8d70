import { scriptHealthPath } from './sources.js';
import type { Healthcheck, Service, Stack } from './types.js';

/** The health check a service's containers run: compose's, else the image's. */
export function healthcheckOf(s: Service): Healthcheck | undefined {
  return s.healthcheck?.test !== undefined || s.healthcheck?.disable
    ? s.healthcheck
    : (s.imageInfo?.healthcheck ?? s.healthcheck);
}

/** The check as one text (`CMD` words joined, `CMD-SHELL` as written). */
export function checkText(h: Healthcheck): string {
  if (typeof h.test === 'string') return h.test;
  if (!h.test) return '';
  const [kind, ...rest] = h.test;
  return kind === 'CMD' || kind === 'CMD-SHELL' ? rest.join(' ') : h.test.join(' ');
}

const URL_RE = /\bhttps?:\/\/(\[[^\]]+\]|[^/:\s'"]+)(?::(\d+))?(\/[^\s'"]*)?/;

/** The URL a check requests, if it requests one. */
export function checkUrl(h: Healthcheck): { host: string; port?: string; path: string } | undefined {
  const m = URL_RE.exec(checkText(h));
  return m ? { host: m[1], port: m[2], path: m[3] || '/' } : undefined;
}

/** The health path the app serves, from its health check (`/healthz`), when it names one. */
export function healthPath(stack: Stack, s: Service): string | undefined {
  const h = healthcheckOf(s);
  if (!h || h.disable) return undefined;
  const u = checkUrl(h);
  if (u && u.path !== '/') return u.path.replace(/[?#].*$/, '');
  // a check script (node /app/healthcheck.js) that requests a path
  return u ? undefined : scriptHealthPath(stack, s, checkText(h));
}

/** Why a check cannot fail, or undefined. */
export function cannotFail(h: Healthcheck): string | undefined {
  const t = checkText(h).trim();
  if (/\|\|\s*(exit\s+0|true|:)\s*;?\s*$/.test(t))
    return `it ends in "${/\|\|\s*(exit\s+0|true|:)/.exec(t)?.[0]}", so it passes whatever the app answers`;
  if (/;\s*exit\s+0\s*$/.test(t)) return 'it ends in "; exit 0", so it passes whatever the app answers';
  if (/^(true|:|exit\s+0|echo\b.*)$/.test(t)) return `"${t}" passes whatever the app does`;
  return undefined;
}
