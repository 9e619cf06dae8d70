// A reconstruction of docker/metadata-action v5 (src/meta.ts, tag.ts, flavor.ts, image.ts) from
// memory, not its source, on the real libraries it runs on. Used only as a differential oracle:
// where it and the audit disagree with metadata-action, metadata-action wins. Known open points
// (see the audit notes in run.mjs): a duplicate `latest` (opts.dedupe), the flavor prefix on the
// latest tag (opts.renderLatest), the OCI labels being run through Handlebars.
import { libs } from './libs.mjs';

const { handlebars, moment, pep440, semver } = libs;
const { parse } = libs.csv;

export function getList(input) {
  const res = [];
  if (input == '') return res;
  const records = parse(input, {
    columns: false,
    relaxQuotes: true,
    comment: '#',
    relaxColumnCount: true,
    skipEmptyLines: true,
  });
  for (const record of records) {
    if (record.length == 1) res.push(record[0]);
    else res.push(record.join(','));
  }
  return res.filter((item) => item).map((pat) => pat.trim());
}

const DefaultPriorities = {
  schedule: '1000',
  semver: '900',
  pep440: '900',
  match: '800',
  edge: '700',
  ref: '600',
  raw: '200',
  sha: '100',
};
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
function parseTag(s) {
  const fields = parse(s, { relaxColumnCount: true, skipEmptyLines: true })[0];
  const tag = { type: undefined, attrs: {} };
  for (const field of fields) {
    const parts = field
      .toString()
      .split(/(?<=^[^=]+?)=/)
      .map((i) => i.trim());
    if (parts.length == 1) tag.attrs['value'] = parts[0];
    else {
      const key = parts[0].toLowerCase();
      const value = parts[1];
      if (key === 'type') {
        if (!Object.keys(DefaultPriorities).includes(value))
          throw new Error(`Unknown tag type attribute: ${value}`);
        tag.type = value;
      } else tag.attrs[key] = value;
    }
  }
  if (tag.type == undefined) tag.type = 'raw';
  switch (tag.type) {
    case 'schedule':
      if (!has(tag.attrs, 'pattern')) tag.attrs.pattern = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      if (!has(tag.attrs, 'pattern')) throw new Error(`Missing pattern attribute for ${s}`);
      if (!has(tag.attrs, 'value')) tag.attrs.value = '';
      if (!has(tag.attrs, 'match')) tag.attrs.match = '';
      break;
    case 'match':
      if (!has(tag.attrs, 'pattern')) throw new Error(`Missing pattern attribute for ${s}`);
      if (!has(tag.attrs, 'group')) tag.attrs.group = '0';
      if (isNaN(+tag.attrs.group)) throw new Error(`Invalid match group for ${s}`);
      if (!has(tag.attrs, 'value')) tag.attrs.value = '';
      break;
    case 'edge':
      if (!has(tag.attrs, 'branch')) tag.attrs.branch = '';
      break;
    case 'ref':
      if (!has(tag.attrs, 'event')) throw new Error(`Missing event attribute for ${s}`);
      if (!['branch', 'tag', 'pr'].includes(tag.attrs.event)) throw new Error(`Invalid event for ${s}`);
      if (tag.attrs.event == 'pr' && !has(tag.attrs, 'prefix')) tag.attrs.prefix = 'pr-';
      break;
    case 'raw':
      if (!has(tag.attrs, 'value')) throw new Error(`Missing value attribute for ${s}`);
      break;
    case 'sha':
      if (!has(tag.attrs, 'prefix')) tag.attrs.prefix = 'sha-';
      if (!has(tag.attrs, 'format')) tag.attrs.format = 'short';
      if (!['short', 'long'].includes(tag.attrs.format)) throw new Error(`Invalid format for ${s}`);
      break;
  }
  if (!has(tag.attrs, 'enable')) tag.attrs.enable = 'true';
  if (!has(tag.attrs, 'priority')) tag.attrs.priority = DefaultPriorities[tag.type];
  return tag;
}
function transformTags(inputs) {
  if (inputs.length == 0)
    inputs = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];
  const tags = inputs.map(parseTag);
  return tags.sort((t1, t2) =>
    Number(t1.attrs.priority) < Number(t2.attrs.priority)
      ? 1
      : Number(t1.attrs.priority) > Number(t2.attrs.priority)
        ? -1
        : 0,
  );
}
function transformFlavor(inputs) {
  const flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
  for (const input of inputs) {
    const fields = parse(input, { relaxColumnCount: true, skipEmptyLines: true })[0];
    let onlatestfor = '';
    for (const field of fields) {
      const parts = field
        .toString()
        .split(/(?<=^[^=]+?)=/)
        .map((i) => i.trim());
      if (parts.length == 1) throw new Error(`Invalid flavor entry: ${input}`);
      switch (parts[0]) {
        case 'latest':
          flavor.latest = parts[1];
          if (!['auto', 'true', 'false'].includes(flavor.latest))
            throw new Error(`Invalid latest flavor entry: ${input}`);
          break;
        case 'prefix':
          flavor.prefix = parts[1];
          onlatestfor = 'prefix';
          break;
        case 'suffix':
          flavor.suffix = parts[1];
          onlatestfor = 'suffix';
          break;
        case 'onlatest':
          if (!['true', 'false'].includes(parts[1]))
            throw new Error(`Invalid value for onlatest attribute: ${parts[1]}`);
          if (onlatestfor === 'prefix') flavor.prefixLatest = /true/i.test(parts[1]);
          if (onlatestfor === 'suffix') flavor.suffixLatest = /true/i.test(parts[1]);
          break;
        default:
          throw new Error(`Unknown flavor entry: ${input}`);
      }
    }
  }
  return flavor;
}
function transformImages(inputs) {
  let images = [];
  if (inputs.length == 1) {
    let newformat = false;
    const fields = parse(inputs[0], { relaxColumnCount: true, skipEmptyLines: true })[0];
    for (const field of fields) {
      const parts = field
        .toString()
        .split(/(?<=^[^=]+?)=/)
        .map((i) => i.trim());
      if (parts.length == 1) images.push({ name: parts[0].toLowerCase(), enable: true });
      else {
        newformat = true;
        break;
      }
    }
    if (!newformat) return images;
  }
  images = [];
  for (const input of inputs) {
    const image = { name: '', enable: true };
    const fields = parse(input, { relaxColumnCount: true, skipEmptyLines: true })[0];
    for (const field of fields) {
      const parts = field
        .toString()
        .split(/(?<=^[^=]+?)=/)
        .map((i) => i.trim());
      if (parts.length == 1) image.name = parts[0].toLowerCase();
      else {
        const key = parts[0].toLowerCase();
        const value = parts[1];
        switch (key) {
          case 'name':
            image.name = value.toLowerCase();
            break;
          case 'enable':
            if (!['true', 'false'].includes(value))
              throw new Error(`Invalid enable attribute value: ${input}`);
            image.enable = /true/i.test(value);
            break;
          default:
            throw new Error(`Unknown image attribute: ${key}`);
        }
      }
    }
    if (image.name.length == 0) throw new Error(`Image name attribute empty: ${input}`);
    images.push(image);
  }
  return images;
}

export class Meta {
  constructor(inputs, context, repo, env, date, opts = {}) {
    this.inputs = inputs;
    this.context = context;
    this.repo = repo;
    this.env = env;
    this.date = date;
    this.opts = opts;
    this.warnings = [];
    this.images = transformImages(inputs.images);
    this.tags = transformTags(inputs.tags);
    this.flavor = transformFlavor(inputs.flavor);
    this.version = this.getVersion();
  }
  getVersion() {
    let version = { main: undefined, partial: [], latest: undefined };
    for (const tag of this.tags) {
      const enabled = this.setGlobalExp(tag.attrs.enable);
      if (!['true', 'false'].includes(enabled))
        throw new Error(`Invalid value for enable attribute: ${enabled}`);
      if (!/true/i.test(enabled)) continue;
      switch (tag.type) {
        case 'schedule':
          version = this.procSchedule(version, tag);
          break;
        case 'semver':
          version = this.procSemver(version, tag);
          break;
        case 'pep440':
          version = this.procPep440(version, tag);
          break;
        case 'match':
          version = this.procMatch(version, tag);
          break;
        case 'ref':
          if (tag.attrs.event == 'branch') version = this.procRefBranch(version, tag);
          else if (tag.attrs.event == 'tag') version = this.procRefTag(version, tag);
          else if (tag.attrs.event == 'pr') version = this.procRefPr(version, tag);
          break;
        case 'edge':
          version = this.procEdge(version, tag);
          break;
        case 'raw':
          version = this.procRaw(version, tag);
          break;
        case 'sha':
          version = this.procSha(version, tag);
          break;
      }
    }
    version.partial = version.partial.filter((item, index) => version.partial.indexOf(item) === index);
    if (version.latest == undefined) version.latest = false;
    return version;
  }
  dateHelpers() {
    const currentDate = this.date;
    const commitDate = this.context.commitDate;
    const mk = (d) =>
      function (format, options) {
        const m = moment(d);
        let tz = 'UTC';
        Object.keys(options.hash).forEach((key) => {
          if (key === 'tz') tz = options.hash[key];
          else throw new Error(`Unknown ${key} attribute`);
        });
        return m.tz(tz).format(format);
      };
    return { date: mk(currentDate), commit_date: mk(commitDate) };
  }
  latestFor(l) {
    return this.flavor.latest == 'auto' ? l : this.flavor.latest == 'true';
  }
  procSchedule(version, tag) {
    if (!/schedule/.test(this.context.eventName)) return version;
    const vraw = this.setValue(handlebars.compile(tag.attrs.pattern)(this.dateHelpers()), tag);
    return Meta.setVersion(version, vraw, this.latestFor(false));
  }
  subjectOf(tag) {
    if (tag.attrs.value.length > 0) return this.setGlobalExp(tag.attrs.value);
    return this.context.ref.replace(/^refs\/tags\//g, '').replace(/\//g, '-');
  }
  matchRe(s, re) {
    const isRegEx = re.match(/^\/(.+)\/(.*)$/);
    return isRegEx ? s.match(new RegExp(isRegEx[1], isRegEx[2])) : s.match(re);
  }
  procSemver(version, tag) {
    if (!/^refs\/tags\//.test(this.context.ref) && tag.attrs.value.length == 0) return version;
    let vraw = this.subjectOf(tag);
    if (tag.attrs.match) {
      const tmatch = this.matchRe(vraw, tag.attrs.match);
      if (tmatch) vraw = tmatch[1] ?? tmatch[0];
      else {
        this.warnings.push(`${tag.attrs.match} does not match ${vraw}.`);
        return version;
      }
    }
    if (!semver.valid(vraw)) {
      this.warnings.push(`${vraw} is not a valid semver.`);
      return version;
    }
    let latest = false;
    const sver = semver.parse(vraw, { loose: true });
    if (semver.prerelease(vraw)) {
      if (Meta.isRawStatement(tag.attrs.pattern))
        vraw = this.setValue(handlebars.compile(tag.attrs.pattern)(sver), tag);
      else vraw = this.setValue(handlebars.compile('{{version}}')(sver), tag);
    } else {
      vraw = this.setValue(handlebars.compile(tag.attrs.pattern)(sver), tag);
      latest = true;
    }
    return Meta.setVersion(version, vraw, this.latestFor(latest));
  }
  procPep440(version, tag) {
    if (!/^refs\/tags\//.test(this.context.ref) && tag.attrs.value.length == 0) return version;
    let vraw = this.subjectOf(tag);
    if (tag.attrs.match) {
      const tmatch = this.matchRe(vraw, tag.attrs.match);
      if (tmatch) vraw = tmatch[1] ?? tmatch[0];
      else {
        this.warnings.push(`${tag.attrs.match} does not match ${vraw}.`);
        return version;
      }
    }
    if (!pep440.valid(vraw)) {
      this.warnings.push(`${vraw} does not conform to PEP 440.`);
      return version;
    }
    let latest = false;
    const pver = pep440.explain(vraw);
    if (pver.is_prerelease || pver.is_postrelease || pver.is_devrelease) {
      if (Meta.isRawStatement(tag.attrs.pattern)) vraw = this.setValue(vraw, tag);
      else vraw = this.setValue(pep440.clean(vraw), tag);
    } else {
      vraw = this.setValue(
        handlebars.compile(tag.attrs.pattern)({
          raw: function () {
            return vraw;
          },
          version: function () {
            return pep440.clean(vraw);
          },
          major: function () {
            return pep440.major(vraw);
          },
          minor: function () {
            return pep440.minor(vraw);
          },
          patch: function () {
            return pep440.patch(vraw);
          },
        }),
        tag,
      );
      latest = true;
    }
    return Meta.setVersion(version, vraw, this.latestFor(latest));
  }
  procMatch(version, tag) {
    if (!/^refs\/tags\//.test(this.context.ref) && tag.attrs.value.length == 0) return version;
    let vraw = this.subjectOf(tag);
    let latest = false;
    const tmatch = this.matchRe(vraw, tag.attrs.pattern);
    if (tmatch) {
      if (tmatch[tag.attrs.group] == undefined) {
        this.warnings.push(`Group ${tag.attrs.group} does not exist for ${tag.attrs.pattern} pattern.`);
        return version;
      }
      vraw = this.setValue(tmatch[tag.attrs.group], tag);
      latest = true;
    } else {
      this.warnings.push(`${tag.attrs.pattern} does not match ${vraw}.`);
      return version;
    }
    return Meta.setVersion(version, vraw, this.latestFor(latest));
  }
  procRefBranch(version, tag) {
    if (!/^refs\/heads\//.test(this.context.ref)) return version;
    return Meta.setVersion(
      version,
      this.setValue(this.context.ref.replace(/^refs\/heads\//g, ''), tag),
      this.latestFor(false),
    );
  }
  procRefTag(version, tag) {
    if (!/^refs\/tags\//.test(this.context.ref)) return version;
    return Meta.setVersion(
      version,
      this.setValue(this.context.ref.replace(/^refs\/tags\//g, ''), tag),
      this.latestFor(true),
    );
  }
  procRefPr(version, tag) {
    if (!/^refs\/pull\//.test(this.context.ref)) return version;
    return Meta.setVersion(
      version,
      this.setValue(this.context.ref.replace(/^refs\/pull\//g, '').replace(/\/merge$/g, ''), tag),
      this.latestFor(false),
    );
  }
  procEdge(version, tag) {
    if (!/^refs\/heads\//.test(this.context.ref)) return version;
    let val = this.context.ref.replace(/^refs\/heads\//g, '');
    const branch = tag.attrs.branch.length == 0 ? this.repo.default_branch : tag.attrs.branch;
    if (branch === val) val = 'edge';
    else return version;
    return Meta.setVersion(version, this.setValue(val, tag), this.latestFor(false));
  }
  procRaw(version, tag) {
    return Meta.setVersion(
      version,
      this.setValue(this.setGlobalExp(tag.attrs.value), tag),
      this.latestFor(false),
    );
  }
  procSha(version, tag) {
    if (!this.context.sha) return version;
    let val = this.context.sha;
    if (tag.attrs.format === 'short') val = this.shortSha(this.context.sha);
    return Meta.setVersion(version, this.setValue(val, tag), this.latestFor(false));
  }
  shortSha(sha) {
    let n = 7;
    const e = this.env.DOCKER_METADATA_SHORT_SHA_LENGTH;
    if (e) {
      if (isNaN(Number(e))) throw new Error(`DOCKER_METADATA_SHORT_SHA_LENGTH is not a valid number: ${e}`);
      n = Number(e);
    }
    return sha.substring(0, n);
  }
  static setVersion(version, val, latest) {
    if (val.length == 0) return version;
    val = Meta.sanitizeTag(val);
    if (version.main == undefined) version.main = val;
    else if (val !== version.main) version.partial.push(val);
    if (version.latest == undefined) version.latest = latest;
    return version;
  }
  setValue(val, tag) {
    if (has(tag.attrs, 'prefix')) val = `${this.setGlobalExp(tag.attrs.prefix)}${val}`;
    else if (this.flavor.prefix.length > 0) val = `${this.setGlobalExp(this.flavor.prefix)}${val}`;
    if (has(tag.attrs, 'suffix')) val = `${val}${this.setGlobalExp(tag.attrs.suffix)}`;
    else if (this.flavor.suffix.length > 0) val = `${val}${this.setGlobalExp(this.flavor.suffix)}`;
    return val;
  }
  static isRawStatement(pattern) {
    try {
      const hp = handlebars.parseWithoutProcessing(pattern);
      if (hp.body.length == 1 && hp.body[0].type == 'MustacheStatement')
        return hp.body[0].path.parts.length == 1 && hp.body[0].path.parts[0] == 'raw';
    } catch {
      return false;
    }
    return false;
  }
  setGlobalExp(val) {
    const context = this.context;
    const self = this;
    return handlebars.compile(val)({
      branch: function () {
        return /^refs\/heads\//.test(context.ref) ? context.ref.replace(/^refs\/heads\//g, '') : '';
      },
      tag: function () {
        return /^refs\/tags\//.test(context.ref) ? context.ref.replace(/^refs\/tags\//g, '') : '';
      },
      sha: function () {
        return self.shortSha(context.sha);
      },
      base_ref: function () {
        if (/^refs\/tags\//.test(context.ref) && context.payload?.base_ref != undefined)
          return context.payload.base_ref.replace(/^refs\/heads\//g, '');
        if (/^refs\/pull\//.test(context.ref) && context.payload?.pull_request?.base?.ref != undefined)
          return context.payload.pull_request.base.ref;
        return '';
      },
      is_default_branch: function () {
        return self.isDefault();
      },
      is_not_default_branch: function () {
        return self.isDefault() === 'true' ? 'false' : 'true';
      },
      ...this.dateHelpers(),
    });
  }
  isDefault() {
    const context = this.context;
    const branch = context.ref.replace(/^refs\/heads\//g, '');
    if (branch == undefined || branch.length == 0) return 'false';
    if (context.payload?.repository?.default_branch == branch) return 'true';
    if (/create|discussion|issues|schedule/.test(context.eventName)) return 'true';
    return 'false';
  }
  static sanitizeTag(tag) {
    return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
  }
  getTags(namesOnly = false) {
    if (!this.version.main) return [];
    const generateTags = (imageName, version) => {
      const tags = [];
      const prefix = imageName !== '' ? `${imageName}:` : '';
      tags.push(`${prefix}${version}`);
      for (const partial of this.version.partial) tags.push(`${prefix}${partial}`);
      if (this.version.latest) {
        const fp = this.opts.renderLatest ? this.setGlobalExp(this.flavor.prefix) : this.flavor.prefix;
        const fs = this.opts.renderLatest ? this.setGlobalExp(this.flavor.suffix) : this.flavor.suffix;
        const latestTag = `${this.flavor.prefixLatest ? fp : ''}latest${this.flavor.suffixLatest ? fs : ''}`;
        tags.push(`${prefix}${Meta.sanitizeTag(latestTag)}`);
      }
      return this.opts.dedupe ? [...new Set(tags)] : tags;
    };
    if (namesOnly) return generateTags('', this.version.main);
    const tags = [];
    const images = this.images.filter((i) => i.enable).map((i) => i.name);
    if (images.length > 0)
      for (const imageName of images) tags.push(...generateTags(imageName, this.version.main));
    else tags.push(...generateTags('', this.version.main));
    return tags;
  }
  getLabels() {
    const res = [
      `org.opencontainers.image.title=${this.repo.name || ''}`,
      `org.opencontainers.image.description=${this.repo.description || ''}`,
      `org.opencontainers.image.url=${this.repo.html_url || ''}`,
      `org.opencontainers.image.source=${this.repo.html_url || ''}`,
      `org.opencontainers.image.version=${this.version.main || ''}`,
      `org.opencontainers.image.created=${this.date.toISOString()}`,
      `org.opencontainers.image.revision=${this.context.sha || ''}`,
      `org.opencontainers.image.licenses=${this.repo.license?.spdx_id || ''}`,
      ...this.inputs.labels,
    ];
    return Array.from(
      new Map(
        res
          .filter((l) => l.includes('='))
          .map((l) => this.setGlobalExp(l))
          .map((l) => {
            const [key, ...values] = l.split('=');
            return [key, values.join('=')];
          }),
      ),
    )
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([k, v]) => `${k}=${v}`);
  }
}

/** The context as getContextFromWorkflow builds it. */
export function workflowContext(env, payload, commitDate) {
  const context = { eventName: env.GITHUB_EVENT_NAME, ref: env.GITHUB_REF, sha: env.GITHUB_SHA, payload };
  if (/pull_request_target/.test(context.eventName))
    context.ref = `refs/pull/${context.payload.number}/merge`;
  if (/true/i.test(env.DOCKER_METADATA_PR_HEAD_SHA || '')) {
    if (/pull_request/.test(context.eventName) && context.payload?.pull_request?.head?.sha != undefined)
      context.sha = context.payload.pull_request.head.sha;
  }
  context.commitDate = commitDate;
  return context;
}
