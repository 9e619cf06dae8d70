import { keyValues, type Instruction } from '../parse.js';
import type { LabelType } from '../types.js';
import { flag, parentStage, stages, type Pass, type RuleDef } from './common.js';

const SPDX = new Set([
  'MIT', 'Apache-2.0', 'GPL-2.0', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0', 'GPL-3.0-only', 'GPL-3.0-or-later',
  'LGPL-2.1', 'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'BSD-2-Clause',
  'BSD-3-Clause', 'MPL-2.0', 'ISC', 'Unlicense', 'CC0-1.0', 'AGPL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later',
  'EPL-1.0', 'EPL-2.0', 'Zlib', 'BSL-1.0', 'CC-BY-4.0', 'CC-BY-SA-4.0', 'WTFPL', 'Artistic-2.0', 'PostgreSQL',
  'OpenSSL', 'Python-2.0', 'EUPL-1.2', 'MIT-0', '0BSD', 'BSD-1-Clause', 'BSD-4-Clause', 'Apache-1.1', 'Apache-1.0',
  'GPL-1.0', 'GPL-1.0-only', 'GPL-1.0-or-later', 'LGPL-2.0', 'LGPL-2.0-only', 'LGPL-2.0-or-later', 'MPL-1.0', 'MPL-1.1',
  'MPL-2.0-no-copyleft-exception', 'CDDL-1.0', 'CDDL-1.1', 'BSD-3-Clause-Clear', 'BSD-2-Clause-Patent', 'AFL-3.0',
  'MS-PL', 'MS-RL', 'NCSA', 'X11', 'Vim', 'OFL-1.1', 'CC-BY-3.0', 'CC-BY-SA-3.0', 'CC-BY-NC-4.0', 'CC-BY-ND-4.0',
  'CC-BY-NC-SA-4.0', 'Beerware', 'JSON', 'curl', 'Libpng', 'ICU', 'Unicode-DFS-2016', 'EUPL-1.1', 'OSL-3.0', 'UPL-1.0',
  'Ruby', 'PHP-3.0', 'PHP-3.01', 'PSF-2.0', 'Zlib-acknowledgement', 'BlueOak-1.0.0', 'MulanPSL-2.0', 'SSPL-1.0',
  'BUSL-1.1', 'Elastic-2.0', 'CECILL-2.1', 'HPND', 'ISC', 'NTP', 'TCL', 'W3C', 'ZPL-2.1', 'GFDL-1.3', 'GFDL-1.3-only',
  'GFDL-1.3-or-later', 'LPPL-1.3c', 'EPL-1.0', 'AGPL-1.0', 'CPL-1.0', 'IPL-1.0', 'QPL-1.0', 'Sleepycat', 'WTFPL',
]); // prettier-ignore

function validSpdx(v: string): boolean {
  return v
    .replace(/[()]/g, ' ')
    .split(/\s+(?:AND|OR|WITH)\s+|\s+/)
    .filter(Boolean)
    .every((id) => SPDX.has(id.replace(/\+$/, '')) || /^LicenseRef-[A-Za-z0-9.-]+$/.test(id));
}

const VALIDATORS: Record<LabelType, { code: string; message: string; ok: (v: string) => boolean }> = {
  text: { code: '', message: '', ok: () => true },
  url: {
    code: 'DL3052', message: 'Label `<label>` is not a valid URL.',
    ok: (v) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(v),
  },
  rfc3339: {
    code: 'DL3053', message: 'Label `<label>` is not a valid time format - must conform to RFC3339.',
    ok: (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  },
  spdx: { code: 'DL3054', message: 'Label `<label>` is not a valid SPDX identifier.', ok: validSpdx },
  hash: { code: 'DL3055', message: 'Label `<label>` is not a valid git hash.', ok: (v) => /^([0-9a-f]{7}|[0-9a-f]{40})$/.test(v) },
  semver: {
    code: 'DL3056', message: 'Label `<label>` does not conform to semantic versioning.',
    ok: (v) => /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(v),
  },
  email: {
    code: 'DL3058', message: 'Label `<label>` is not a valid email format - must conform to RFC5322.',
    ok: (v) => /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(v),
  },
}; // prettier-ignore

/** Label findings carry their own message (the label name is substituted). */
export interface LabelFinding {
  code: string;
  line: number;
  message: string;
}

/** DL3049–DL3058 except DL3057: label-schema checks. */
export function labelFindings(p: Pass): LabelFinding[] {
  const schema = p.options.labelSchema;
  const names = Object.keys(schema);
  const out: LabelFinding[] = [];
  for (const i of p.instructions.filter((x) => x.keyword === 'LABEL')) {
    const pairs = keyValues(i.rest);
    if (p.options.strictLabels && pairs.some((kv) => !names.includes(kv.key))) {
      out.push({ code: 'DL3050', line: i.line, message: 'Superfluous label(s) present.' });
    }
    for (const { key, value } of pairs) {
      const type = schema[key];
      if (type === undefined) continue;
      if (value === '') {
        out.push({ code: 'DL3051', line: i.line, message: `label \`${key}\` is empty.` });
        continue;
      }
      const v = VALIDATORS[type];
      if (!v.ok(value)) out.push({ code: v.code, line: i.line, message: v.message.replace('<label>', key) });
    }
  }
  if (names.length > 0) out.push(...missing(p, names));
  return out;
}

/** Stages that only serve `COPY --from` stay silent; `FROM <alias>` inherits labels. */
function missing(p: Pass, names: string[]): LabelFinding[] {
  const all = stages(p.instructions);
  const copySources = new Set<string>();
  const fromBases = new Set<string>();
  for (const s of all) {
    for (const i of s.body) if (i.keyword === 'COPY') copySources.add(flag(i.flags, 'from') ?? '');
    if (s.info) fromBases.add(s.info.image);
  }
  const have: Set<string>[] = [];
  const out: LabelFinding[] = [];
  all.forEach((s, k) => {
    if (k === 0) return;
    const parent = parentStage(all, k);
    const labels = new Set(parent !== undefined ? have[parent] : []);
    for (const i of s.body) if (i.keyword === 'LABEL') keyValues(i.rest).forEach((kv) => labels.add(kv.key));
    have[k] = labels;
    const alias = s.info?.alias;
    const onlyCopied =
      (copySources.has(String(k - 1)) || (alias !== undefined && copySources.has(alias))) &&
      !(alias !== undefined && fromBases.has(alias));
    if (onlyCopied) return;
    for (const n of names) {
      if (!labels.has(n))
        out.push({
          code: 'DL3049',
          line: (s.from as Instruction).line,
          message: `Label \`${n}\` is missing.`,
        });
    }
  });
  return out;
}

export const healthcheckRule: RuleDef = {
  code: 'DL3057', severity: 'ignore', message: '`HEALTHCHECK` instruction missing.',
  check: (p) => {
    const all = stages(p.instructions);
    const has: boolean[] = [];
    const lines: number[] = [];
    all.forEach((s, k) => {
      if (k === 0) return;
      const parent = parentStage(all, k);
      has[k] = (parent !== undefined && has[parent]) || s.body.some((i) => i.keyword === 'HEALTHCHECK');
      if (!has[k]) lines.push((s.from as Instruction).line);
    });
    return lines;
  },
}; // prettier-ignore

export const LABEL_SEVERITY: Record<string, 'info' | 'warning'> = {
  DL3049: 'info', DL3050: 'info', DL3051: 'warning', DL3052: 'warning', DL3053: 'warning',
  DL3054: 'warning', DL3055: 'warning', DL3056: 'warning', DL3058: 'warning',
}; // prettier-ignore
