// The three functions used, not the package index: it loads every semver module (ranges, comparators),
// which cost ~15 ms of start-up for every step that loads meta.
import parse from 'semver/functions/parse.js';
import prerelease from 'semver/functions/prerelease.js';
import valid from 'semver/functions/valid.js';

/** What a semver / pep440 pattern may refer to: `{{raw}}`, `{{version}}`, `{{major}}`, … */
export interface VersionVars {
  raw: string;
  version: string;
  major: number;
  minor: number;
  patch: number;
  /** Semver only (metadata-action hands the parsed SemVer object to the pattern): `rc,1`. */
  prerelease?: readonly (string | number)[];
  /** Semver only: the build metadata parts. */
  build?: readonly string[];
}

export interface ParsedVersion {
  vars: VersionVars;
  /** A pre-release (semver `-rc.1`) or, for PEP 440, a pre-, post- or dev-release. */
  isPrerelease: boolean;
}

/**
 * Parses a semver string as metadata-action does: validity is checked strictly (a leading `v` or
 * `=` is fine), the pattern variables come from a loose parse. Returns undefined when invalid.
 */
export function parseSemver(raw: string): ParsedVersion | undefined {
  if (!valid(raw)) return undefined;
  const v = parse(raw, { loose: true });
  if (!v) return undefined;
  return {
    vars: {
      raw,
      version: v.version,
      major: v.major,
      minor: v.minor,
      patch: v.patch,
      prerelease: v.prerelease,
      build: v.build,
    },
    isPrerelease: prerelease(raw) !== null,
  };
}

// PEP 440, appendix B (the canonical regular expression), anchored and case-insensitive; like
// @renovatebot/pep440's `valid` (which metadata-action uses), no white space around it.
const PEP440 = new RegExp(
  '^v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<pre_l>alpha|beta|preview|pre|a|b|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '$',
  'i',
);

export interface Pep440 {
  epoch: number;
  release: number[];
  pre?: [string, number];
  post?: number;
  dev?: number;
  local?: string;
}

const PRE_NAMES: Record<string, string> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

/** Parses a PEP 440 version (any spelling PEP 440 accepts); undefined when invalid. */
export function parsePep440Parts(text: string): Pep440 | undefined {
  const g = PEP440.exec(text)?.groups;
  if (!g) return undefined;
  const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const out: Pep440 = {
    epoch: num(g.epoch),
    release: g.release.split('.').map(Number),
  };
  if (g.pre_l) out.pre = [PRE_NAMES[g.pre_l.toLowerCase()], num(g.pre_n)];
  if (g.post) out.post = num(g.post_n1 ?? g.post_n2);
  if (g.dev) out.dev = num(g.dev_n);
  if (g.local) {
    // @renovatebot/pep440 turns numeric parts into numbers and then prints the list with commas
    // (`1.0+ubuntu.01` → `1.0+ubuntu,1`, even `0xb` → `11`); metadata-action's tags carry that (sanitised to `-`).
    out.local = g.local
      .split(/[-_.]/)
      .map((part) => (Number.isNaN(Number(part)) ? part.toLowerCase() : String(Number(part))))
      .join(',');
  }
  return out;
}

/** The normalized form of a PEP 440 version (`1.0-Alpha1` → `1.0a1`, `1.2.3post1` → `1.2.3.post1`). */
export function normalizePep440(v: Pep440): string {
  let out = v.epoch ? `${v.epoch}!` : '';
  out += v.release.join('.');
  if (v.pre) out += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== undefined) out += `.post${v.post}`;
  if (v.dev !== undefined) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local}`;
  return out;
}

/** Parses a PEP 440 version into pattern variables; undefined when invalid. */
export function parsePep440(raw: string): ParsedVersion | undefined {
  const v = parsePep440Parts(raw);
  if (!v) return undefined;
  return {
    vars: {
      raw,
      version: normalizePep440(v),
      major: v.release[0],
      minor: v.release[1] ?? 0,
      patch: v.release[2] ?? 0,
    },
    isPrerelease: v.pre !== undefined || v.post !== undefined || v.dev !== undefined,
  };
}
