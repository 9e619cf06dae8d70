import { UserError } from '../core/errors.js';
import type { MetaRequest, MetaResult } from './api.js';
import type { MetaContext } from './context.js';
import { formatDate } from './dateformat.js';
import { parseFlavor, parseImages, parseRules, type Flavor, type TagRule } from './rules.js';
import { isRawStatement, render, type Helper, type Scope } from './template.js';
import { parsePep440, parseSemver, type ParsedVersion } from './versions.js';

export interface MetaOptions {
  /** Receives the warnings metadata-action prints (invalid semver, no match, …). */
  warn?: (message: string) => void;
}

/** The version a run produced: the main tag, the other tags, and whether `latest` is added. */
export interface Version {
  main?: string;
  partial: string[];
  latest: boolean;
}

/** Replaces each run of characters a Docker tag cannot hold with `-`. */
export function sanitizeTag(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

const TAG_REF = /^refs\/tags\//;
const BRANCH_REF = /^refs\/heads\//;
const PULL_REF = /^refs\/pull\//;

/** The short form of the commit sha (`substring`, as metadata-action cuts it). */
function shortSha(ctx: MetaContext): string {
  if (Number.isNaN(ctx.shortShaLength))
    throw new UserError('DOCKER_METADATA_SHORT_SHA_LENGTH is not a valid number');
  return ctx.sha.substring(0, ctx.shortShaLength);
}

/** `{{date 'fmt' tz='Zone'}}` over a fixed instant. */
function dateHelper(date: Date): Helper {
  return (args, hash) => {
    for (const key of Object.keys(hash)) {
      if (key !== 'tz') throw new UserError(`unknown ${key} attribute in a date expression (expected tz)`);
    }
    return formatDate(date, String(args[0] ?? ''), hash.tz === undefined ? 'UTC' : String(hash.tz));
  };
}

/** The global expressions of metadata-action: branch, tag, sha, base_ref, is_default_branch, dates. */
export function globalScope(ctx: MetaContext): Scope {
  const isDefault = () => {
    const branch = ctx.ref.replace(BRANCH_REF, '');
    if (!branch) return false;
    if (ctx.payloadDefaultBranch === branch) return true;
    // These events always run on the default branch's last commit.
    return /create|discussion|issues|schedule/.test(ctx.eventName);
  };
  return {
    branch: () => (BRANCH_REF.test(ctx.ref) ? ctx.ref.replace(BRANCH_REF, '') : ''),
    tag: () => (TAG_REF.test(ctx.ref) ? ctx.ref.replace(TAG_REF, '') : ''),
    sha: () => shortSha(ctx),
    base_ref: () => {
      if (TAG_REF.test(ctx.ref) && ctx.baseRef !== undefined) return ctx.baseRef.replace(BRANCH_REF, '');
      if (PULL_REF.test(ctx.ref) && ctx.prBaseRef !== undefined) return ctx.prBaseRef;
      return '';
    },
    is_default_branch: () => String(isDefault()),
    is_not_default_branch: () => String(!isDefault()),
    date: dateHelper(ctx.now),
    commit_date: dateHelper(ctx.commitDate),
  };
}

/** Computes tags, version and labels from the request and context — pure, no I/O. */
class Computation {
  private readonly scope: Scope;
  readonly flavor: Flavor;
  readonly version: Version;

  constructor(
    readonly req: MetaRequest,
    readonly ctx: MetaContext,
    private readonly warn: (message: string) => void,
  ) {
    this.scope = globalScope(ctx);
    this.flavor = parseFlavor(req.flavor);
    this.version = this.computeVersion(parseRules(req.tags));
  }

  exp(text: string): string {
    return render(text, this.scope);
  }

  private affix(value: string, rule: TagRule): string {
    const has = (k: string) => Object.prototype.hasOwnProperty.call(rule.attrs, k);
    const prefix = has('prefix') ? rule.attrs.prefix : this.flavor.prefix;
    const suffix = has('suffix') ? rule.attrs.suffix : this.flavor.suffix;
    return `${this.exp(prefix)}${value}${this.exp(suffix)}`;
  }

  private latestFor(auto: boolean): boolean {
    return this.flavor.latest === 'auto' ? auto : this.flavor.latest === 'true';
  }

  private computeVersion(rules: TagRule[]): Version {
    const v: { main?: string; partial: string[]; latest?: boolean } = { partial: [] };
    for (const rule of rules) {
      const enabled = this.exp(rule.attrs.enable);
      if (enabled !== 'true' && enabled !== 'false')
        throw new UserError(`enable must evaluate to true or false, got "${enabled}": "${rule.source}"`, {
          field: `input "tags" line ${rule.line}`,
        });
      if (enabled === 'false') continue;
      const produced = this.evaluate(rule);
      if (!produced) continue;
      const value = sanitizeTag(produced.value);
      if (!value) continue;
      if (v.main === undefined) v.main = value;
      else if (value !== v.main && !v.partial.includes(value)) v.partial.push(value);
      v.latest ??= this.latestFor(produced.latest);
    }
    return { main: v.main, partial: v.partial, latest: v.latest ?? false };
  }

  /** The value one rule yields in this context, or undefined when it does not fire. */
  private evaluate(rule: TagRule): { value: string; latest: boolean } | undefined {
    const { attrs } = rule;
    const ref = this.ctx.ref;
    switch (rule.type) {
      case 'schedule': {
        if (!/schedule/.test(this.ctx.eventName)) return undefined;
        // Schedule patterns only know the date helpers.
        const scope = { date: this.scope.date, commit_date: this.scope.commit_date };
        return { value: this.affix(render(attrs.pattern, scope), rule), latest: false };
      }
      case 'semver':
      case 'pep440':
        return this.versionRule(rule);
      case 'match':
        return this.matchRule(rule);
      case 'edge': {
        if (!BRANCH_REF.test(ref)) return undefined;
        const branch = attrs.branch || this.ctx.repo.defaultBranch;
        if (branch !== ref.replace(BRANCH_REF, '')) return undefined;
        return { value: this.affix('edge', rule), latest: false };
      }
      case 'ref':
        return this.refRule(rule);
      case 'raw':
        return { value: this.affix(this.exp(attrs.value), rule), latest: false };
      case 'sha': {
        if (!this.ctx.sha) return undefined;
        const sha = attrs.format === 'long' ? this.ctx.sha : shortSha(this.ctx);
        return { value: this.affix(sha, rule), latest: false };
      }
    }
  }

  private refRule(rule: TagRule): { value: string; latest: boolean } | undefined {
    const ref = this.ctx.ref;
    switch (rule.attrs.event) {
      case 'branch':
        if (!BRANCH_REF.test(ref)) return undefined;
        return { value: this.affix(ref.replace(BRANCH_REF, ''), rule), latest: false };
      case 'tag':
        if (!TAG_REF.test(ref)) return undefined;
        return { value: this.affix(ref.replace(TAG_REF, ''), rule), latest: true };
      default:
        if (!PULL_REF.test(ref)) return undefined;
        return { value: this.affix(ref.replace(PULL_REF, '').replace(/\/merge$/, ''), rule), latest: false };
    }
  }

  /**
   * The string a semver / pep440 / match rule works on: `value`, else the tag name. semver and
   * pep440 see `/` as `-` (`p1/v1.0.0` → `p1-v1.0.0`); match sees the raw git tag, as
   * metadata-action's procMatch does, so `pattern=p1/v(\d.\d.\d)` finds `p1/v1.0.0`.
   */
  private subject(rule: TagRule, rawTag = false): string | undefined {
    if (rule.attrs.value) return this.exp(rule.attrs.value);
    if (!TAG_REF.test(this.ctx.ref)) return undefined;
    const tag = this.ctx.ref.replace(TAG_REF, '');
    return rawTag ? tag : tag.replace(/\//g, '-');
  }

  private versionRule(rule: TagRule): { value: string; latest: boolean } | undefined {
    let raw = this.subject(rule);
    if (raw === undefined) return undefined;
    if (rule.attrs.match) {
      const m = toRegExp(rule.attrs.match).exec(raw);
      if (!m) {
        this.warn(`${rule.attrs.match} does not match ${raw}.`);
        return undefined;
      }
      raw = m[1] ?? m[0];
    }
    const pep = rule.type === 'pep440';
    const parsed: ParsedVersion | undefined = pep ? parsePep440(raw) : parseSemver(raw);
    if (!parsed) {
      this.warn(
        pep
          ? `${raw} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`
          : `${raw} is not a valid semver. More info: https://semver.org/`,
      );
      return undefined;
    }
    const vars = parsed.vars as unknown as Scope;
    if (parsed.isPrerelease) {
      // Pre-releases only ever give the full version: {{major}} must not move for an rc.
      const pattern = isRawStatement(rule.attrs.pattern) ? rule.attrs.pattern : '{{version}}';
      return { value: this.affix(render(pattern, vars), rule), latest: false };
    }
    return { value: this.affix(render(rule.attrs.pattern, vars), rule), latest: true };
  }

  private matchRule(rule: TagRule): { value: string; latest: boolean } | undefined {
    const subject = this.subject(rule, true);
    if (subject === undefined) return undefined;
    const m = toRegExp(rule.attrs.pattern).exec(subject);
    if (!m) {
      this.warn(`${rule.attrs.pattern} does not match ${subject}.`);
      return undefined;
    }
    // Indexed with the attribute as written: `group=01` is no group, as in metadata-action.
    const group = (m as unknown as Record<string, string | undefined>)[rule.attrs.group];
    if (group === undefined) {
      this.warn(`Group ${rule.attrs.group} does not exist for ${rule.attrs.pattern} pattern.`);
      return undefined;
    }
    return { value: this.affix(group, rule), latest: true };
  }

  latestTag(): string {
    // As metadata-action's getTags: the flavor's prefix/suffix as written (no expressions), sanitised.
    const f = this.flavor;
    return sanitizeTag(`${f.prefixLatest ? f.prefix : ''}latest${f.suffixLatest ? f.suffix : ''}`);
  }
}

/** `/re/flags` is a regular expression with flags; anything else a plain pattern. */
export function toRegExp(text: string): RegExp {
  const m = /^\/(.+)\/(.*)$/.exec(text);
  try {
    return m ? new RegExp(m[1], m[2]) : new RegExp(text);
  } catch (err: unknown) {
    throw new UserError(`invalid regular expression ${text}: ${(err as Error).message}`, {
      field: 'input "tags"',
    });
  }
}

/**
 * `key=value` lines → a map; later keys win, keys sorted. As in metadata-action, lines without `=`
 * are dropped before the expressions are evaluated, and the key ends at the first `=` after.
 */
function labelMap(c: Computation, extra: readonly string[]): Record<string, string> {
  const { ctx } = c;
  const lines = [
    `org.opencontainers.image.title=${ctx.repo.name}`,
    `org.opencontainers.image.description=${ctx.repo.description}`,
    `org.opencontainers.image.url=${ctx.repo.htmlUrl}`,
    `org.opencontainers.image.source=${ctx.repo.htmlUrl}`,
    `org.opencontainers.image.version=${c.version.main ?? ''}`,
    `org.opencontainers.image.created=${ctx.now.toISOString()}`,
    `org.opencontainers.image.revision=${ctx.sha}`,
    `org.opencontainers.image.licenses=${ctx.repo.license}`,
    ...extra.filter((l) => l.includes('=')).map((l) => c.exp(l)),
  ];
  const map = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf('=');
    // Only an expression can take the `=` away (its output is HTML-escaped): then all is key.
    if (eq < 0) map.set(line, '');
    else map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const out: Record<string, string> = {};
  for (const key of sortKeys([...map.keys()])) out[key] = map.get(key) ?? '';
  return out;
}

const PLAIN_KEY = /^[a-z0-9./-]*$/;

/**
 * Keys in metadata-action's order (`localeCompare`, English collation: the same on any runner locale).
 * Keys of lower-case letters, digits, `.`, `-` and `/` (every OCI label) collate in code-unit order, so
 * those skip the collator: loading ICU's collation data on first use costs 20-30 ms of start-up.
 */
export function sortKeys(keys: string[]): string[] {
  return keys.every((k) => PLAIN_KEY.test(k)) ? keys.sort() : keys.sort((a, b) => a.localeCompare(b, 'en'));
}

/** Everything computeMeta returns, plus what the step's extra outputs need. */
export interface MetaComputed extends MetaResult {
  latest: boolean;
  images: string[];
}

/**
 * Computes docker/metadata-action's version, tags, labels and annotations from the request and
 * the run context. Pure apart from `opts.warn`. Throws `UserError` for invalid rules or flavor.
 */
export function computeMetaSync(req: MetaRequest, ctx: MetaContext, opts: MetaOptions = {}): MetaComputed {
  const c = new Computation(req, ctx, opts.warn ?? (() => undefined));
  const images = parseImages(req.images)
    .filter((i) => i.enable)
    .map((i) => i.name);
  const { main, partial, latest } = c.version;
  // A `type=raw,value=latest` partial and the latest flag would otherwise give `latest` twice.
  const tagNames = main ? [...new Set([main, ...partial, ...(latest ? [c.latestTag()] : [])])] : [];
  const tags = images.length
    ? images.flatMap((image) => tagNames.map((t) => (image ? `${image}:${t}` : t)))
    : tagNames;
  const labels = labelMap(c, req.labels);
  const annotationMap = labelMap(c, req.annotations);
  const annotations = ctx.annotationLevels.flatMap((level) =>
    Object.entries(annotationMap).map(([k, v]) => `${level}:${k}=${v}`),
  );
  return { version: main ?? '', tags, tagNames, labels, annotations, latest, images };
}
