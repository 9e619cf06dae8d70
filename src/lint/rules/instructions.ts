import { execForm, keyValues, words } from '../parse.js';
import {
  copyArgs, flag, fromInfo, linesWhere, parseImage, parentStage, resolveArgs, stages, unquote, type Pass,
  type RuleDef,
} from './common.js'; // prettier-ignore

const ARCHIVE = /\.(tar|Z|bz2|gz|lz|lzma|tZ|tb2|tbz|tbz2|tgz|tlz|tpz|txz|xz)$/;
export const isArchive = (s: string): boolean => ARCHIVE.test(s);
const isUrl = (s: string): boolean => /^https?:\/\//.test(s);

/** Walks a pass keyword by keyword, calling `fn` for matching instructions. */
export function each(
  pass: Pass,
  keyword: string,
  fn: (i: Pass['instructions'][number]) => boolean,
): number[] {
  return linesWhere(pass, (i) => i.keyword === keyword && fn(i));
}

/** Lines of the COPY instructions for which `fn` holds over their sources and destination. */
export function eachCopy(
  pass: Pass,
  fn: (args: { sources: string[]; dest: string }, i: Pass['instructions'][number]) => boolean,
): number[] {
  return each(pass, 'COPY', (i) => fn(copyArgs(i), i));
}

/** Aliases of stages defined before each FROM, and the image resolved from global ARGs. */
function fromsWithContext(pass: Pass) {
  const aliases: string[] = [];
  return pass.instructions
    .filter((i) => i.keyword === 'FROM')
    .map((i) => {
      const info = fromInfo(i);
      const image = resolveArgs(info.image, pass.globalArgs);
      const earlier = aliases.includes(info.image) || aliases.includes(image);
      if (info.alias) aliases.push(info.alias);
      return { instr: i, info, image, earlier };
    });
}

export const instructionRules: RuleDef[] = [
  {
    code: 'DL3000',
    severity: 'error',
    message: 'Use absolute WORKDIR',
    check: (p) => each(p, 'WORKDIR', (i) => !/^(\/|\$|[A-Za-z]:)/.test(unquote(i.rest))),
  },
  {
    code: 'DL3002',
    severity: 'warning',
    message: 'Last USER should not be root',
    check: (p) => {
      const lines: number[] = [];
      for (const s of stages(p.instructions).slice(1)) {
        const users = s.body.filter((i) => i.keyword === 'USER');
        const last = users[users.length - 1];
        if (last && /^(root|0)(:.*)?$/.test(unquote(last.rest))) lines.push(last.line);
      }
      return lines;
    },
  },
  {
    code: 'DL3006',
    severity: 'warning',
    message: 'Always tag the version of an image explicitly',
    check: (p) =>
      fromsWithContext(p)
        .filter(({ image, earlier }) => {
          if (earlier || image === 'scratch' || image.startsWith('$')) return false;
          const ref = parseImage(image);
          return ref.tag === undefined && ref.digest === undefined;
        })
        .map((f) => f.instr.line),
  },
  {
    code: 'DL3007',
    severity: 'warning',
    message:
      'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
    check: (p) =>
      fromsWithContext(p)
        .filter(({ image }) => {
          const ref = parseImage(image);
          return ref.tag === 'latest' && ref.digest === undefined;
        })
        .map((f) => f.instr.line),
  },
  {
    code: 'DL3011',
    severity: 'error',
    message: 'Valid UNIX ports range from 0 to 65535',
    check: (p) =>
      each(p, 'EXPOSE', (i) =>
        words(i.rest).some((w) =>
          w
            .split('/')[0]
            .split('-')
            .some((n) => /^\d+$/.test(n) && Number(n) > 65535),
        ),
      ),
  },
  {
    code: 'DL3012',
    severity: 'error',
    message: 'Multiple `HEALTHCHECK` instructions',
    check: (p) => nth(p, 'HEALTHCHECK'),
  },
  {
    code: 'DL4003',
    severity: 'warning',
    message:
      'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect',
    check: (p) => nth(p, 'CMD'),
  },
  {
    code: 'DL4004',
    severity: 'error',
    message:
      'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect',
    check: (p) => nth(p, 'ENTRYPOINT'),
  },
  {
    code: 'DL3020',
    severity: 'error',
    message: 'Use COPY instead of ADD for files and folders',
    check: (p) => each(p, 'ADD', (i) => copyArgs(i).sources.some((s) => !isArchive(s) && !isUrl(s))),
  },
  {
    code: 'DL3021',
    severity: 'error',
    message: 'COPY with more than 2 arguments requires the last argument to end with /',
    check: (p) => eachCopy(p, ({ sources, dest }) => sources.length > 1 && !unquote(dest).endsWith('/')),
  },
  {
    code: 'DL3025',
    severity: 'warning',
    message: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
    check: (p) =>
      p.instructions
        .filter((i) => {
          if (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') return !execForm(i.rest);
          if (i.keyword !== 'HEALTHCHECK') return false;
          const m = /^CMD\s+([\s\S]*)$/i.exec(i.rest);
          return m !== null && !execForm(m[1]);
        })
        .map((i) => i.line),
  },
  {
    code: 'DL3029',
    severity: 'warning',
    message: 'Do not use --platform flag with FROM',
    check: (p) =>
      each(p, 'FROM', (i) => {
        const v = flag(i.flags, 'platform');
        return v !== undefined && !v.includes('BUILDPLATFORM') && !v.includes('TARGETPLATFORM');
      }),
  },
  {
    code: 'DL3065',
    severity: 'warning',
    message:
      'Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior',
    check: (p) =>
      each(p, 'FROM', (i) =>
        ['$TARGETPLATFORM', '${TARGETPLATFORM}'].includes(flag(i.flags, 'platform') ?? ''),
      ),
  },
  {
    code: 'DL3043',
    severity: 'error',
    message: '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.',
    check: (p) =>
      each(p, 'ONBUILD', (i) => ['ONBUILD', 'FROM', 'MAINTAINER'].includes(i.inner?.keyword ?? '')),
  },
  {
    code: 'DL4000',
    severity: 'error',
    message: 'MAINTAINER is deprecated',
    check: (p) => each(p, 'MAINTAINER', () => true),
  },
  {
    code: 'DL3061',
    severity: 'error',
    message: 'Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.',
    check: (p) => {
      const first = p.instructions.findIndex((i) => i.keyword === 'FROM');
      const before = first < 0 ? p.instructions : p.instructions.slice(0, first);
      return before.filter((i) => i.keyword !== 'ARG' && i.keyword !== '#').map((i) => i.line);
    },
  },
  {
    code: 'DL3045',
    severity: 'warning',
    message: '`COPY` to a relative destination without `WORKDIR` set.',
    check: (p) => {
      const all = stages(p.instructions);
      const hasWorkdir: boolean[] = [];
      const lines: number[] = [];
      all.forEach((s, k) => {
        const parent = k > 0 ? parentStage(all, k) : undefined;
        let set = parent !== undefined && hasWorkdir[parent];
        for (const i of s.body) {
          if (i.keyword === 'WORKDIR') set = true;
          if (i.keyword === 'COPY' && !set) {
            const dest = unquote(copyArgs(i).dest);
            if (!/^(\/|\$|[A-Za-z]:)/.test(dest)) lines.push(i.line);
          }
        }
        hasWorkdir[k] = set;
      });
      return lines;
    },
  },
  {
    code: 'DL3048',
    severity: 'style',
    message: 'Invalid label key.',
    check: (p) => each(p, 'LABEL', (i) => keyValues(i.rest).some(({ key }) => !validLabelKey(key))),
  },
];

function validLabelKey(key: string): boolean {
  if (/^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/.test(key)) return false;
  return /^[a-z]([a-z0-9._/-]*[a-z0-9])?$/.test(key) && !key.includes('..') && !key.includes('--');
}

/** The 2nd and later `keyword` of each stage. */
function nth(p: Pass, keyword: string): number[] {
  const lines: number[] = [];
  let count = 0;
  for (const i of p.instructions) {
    if (i.keyword === 'FROM') count = 0;
    else if (i.keyword === keyword && ++count > 1) lines.push(i.line);
  }
  return lines;
}
