import { keyValues, type Instruction } from '../parse.js';
import type { LabelType } from '../types.js';
import { flag, fromInfo, parseImage, type Pass, type RuleDef } from './common.js';

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

interface StageId {
  /** Image name of the FROM (registry, tag and digest left out, as language-docker's `imageName`). */
  src: string;
  alias?: string;
  line: number;
}

function stageId(i: Instruction): StageId {
  const info = fromInfo(i);
  return { src: parseImage(info.image).name, alias: info.alias, line: i.line };
}

/**
 * DL3049 for one label. A stage is fine when it sets the label or is built `FROM` the alias of a
 * fine stage. A stage lacking it stays silent when a later `COPY --from=<its alias>` uses it, or when
 * a stage built `FROM <its alias>` without an alias of its own sets the label (that result has it).
 * Each remaining stage is reported at its FROM: once per result that lacks the label.
 */
function missingLabel(p: Pass, label: string): number[] {
  const good: StageId[] = [];
  let bad: StageId[] = [];
  let current: StageId | undefined;
  const silence = (alias: string) => (bad = bad.filter((s) => s.alias !== alias));
  for (const i of p.instructions) {
    if (i.keyword === 'FROM') {
      const id = stageId(i);
      const inherits = current !== undefined && good.some((g) => g.alias !== undefined && g.alias === id.src);
      (inherits ? good : bad).push(id);
      current = id;
    } else if (i.keyword === 'COPY' && current) {
      const from = flag(i.flags, 'from');
      if (from !== undefined) silence(from);
    } else if (i.keyword === 'LABEL' && current && keyValues(i.rest).some((kv) => kv.key === label)) {
      silence(current.alias ?? current.src);
      const done = current;
      good.push(done);
      bad = bad.filter((s) => s !== done);
    }
  }
  return bad.map((s) => s.line);
}

function missing(p: Pass, names: string[]): LabelFinding[] {
  return names.flatMap((n) =>
    missingLabel(p, n).map((line) => ({ code: 'DL3049', line, message: `Label \`${n}\` is missing.` })),
  );
}

/**
 * DL3057: each stage without a HEALTHCHECK (NONE counts), reported at its FROM. A stage built FROM
 * a stage with one inherits it, and a HEALTHCHECK also covers the whole chain of stages it was built
 * from, so a chain that ends in a stage with HEALTHCHECK is fine. Stages are named by alias, or by
 * image name when they have none (as hadolint does).
 */
export const healthcheckRule: RuleDef = {
  code: 'DL3057', severity: 'ignore', message: '`HEALTHCHECK` instruction missing.',
  check: (p) => {
    const good: StageId[] = [];
    let bad: StageId[] = [];
    let current: StageId | undefined;
    const name = (s: StageId) => s.alias ?? s.src;
    for (const i of p.instructions) {
      if (i.keyword === 'FROM') {
        current = stageId(i);
        const src = current.src;
        (good.some((g) => name(g) === src) ? good : bad).push(current);
      } else if (i.keyword === 'HEALTHCHECK' && current) {
        const chain = [current];
        for (let k = 0; k < chain.length; k++) {
          const parents = bad.filter((s) => name(s) === chain[k].src);
          bad = bad.filter((s) => !parents.includes(s));
          chain.push(...parents);
        }
        good.push(...chain);
        bad = bad.filter((s) => !chain.includes(s));
      }
    }
    return bad.map((s) => s.line);
  },
}; // prettier-ignore

export const LABEL_SEVERITY: Record<string, 'info' | 'warning'> = {
  DL3049: 'info', DL3050: 'info', DL3051: 'warning', DL3052: 'warning', DL3053: 'warning',
  DL3054: 'warning', DL3055: 'warning', DL3056: 'warning', DL3058: 'warning',
}; // prettier-ignore
