import {
  flag, fromInfo, parseImage, resolveArgs, unquote, type Pass, type RuleDef,
} from './common.js'; // prettier-ignore

import { each, eachCopy } from './instructions.js';

// Rules about stages: COPY --from references, aliases, trusted registries.

export const stageRules: RuleDef[] = [
  {
    code: 'DL3022',
    severity: 'warning',
    message: '`COPY --from` should reference a previously defined `FROM` alias',
    check: (p) =>
      copyFrom(
        p,
        (from, aliases, froms) =>
          !aliases.includes(from) && !from.includes(':') && !(/^\d+$/.test(from) && Number(from) < froms),
      ),
  },
  {
    code: 'DL3023',
    severity: 'error',
    message: '`COPY --from` cannot reference its own `FROM` alias',
    check: (p) => copyFrom(p, (from, _a, _n, current) => current !== undefined && from === current),
  },
  {
    code: 'DL3024',
    severity: 'error',
    message: 'FROM aliases (stage names) must be unique',
    check: (p) => {
      const seen = new Set<string>();
      return each(p, 'FROM', (i) => {
        const alias = fromInfo(i).alias;
        if (alias === undefined) return false;
        const dup = seen.has(alias);
        seen.add(alias);
        return dup;
      });
    },
  },
  {
    code: 'DL3026',
    severity: 'error',
    message: 'Use only an allowed registry in the FROM image',
    check: (p) => {
      const trusted = p.options.trustedRegistries;
      if (trusted.length === 0) return [];
      const lines: number[] = [];
      const aliases: string[] = [];
      const bad = (image: string) =>
        !aliases.includes(image) && image !== 'scratch' && !registryAllowed(image, trusted);
      for (const i of p.instructions) {
        if (i.keyword === 'FROM') {
          const info = fromInfo(i);
          if (bad(resolveArgs(info.image, p.globalArgs)) && !aliases.includes(info.image)) lines.push(i.line);
          if (info.alias) aliases.push(info.alias);
        } else if (i.keyword === 'COPY') {
          const from = flag(i.flags, 'from');
          if (from !== undefined && !/^\d+$/.test(from) && bad(from)) lines.push(i.line);
        } else if (i.keyword === 'RUN') {
          const froms = i.flags
            .filter((f) => f.name === 'mount')
            .map((f) => /(?:^|,)from=([^,]+)/.exec(f.value ?? ''));
          const types = i.flags
            .filter((f) => f.name === 'mount')
            .map((f) => /(?:^|,)type=([^,]+)/.exec(f.value ?? '')?.[1] ?? 'bind');
          if (
            froms.some(
              (m, k) => m && ['bind', 'cache'].includes(types[k]) && !/^\d+$/.test(m[1]) && bad(m[1]),
            )
          )
            lines.push(i.line);
        }
      }
      return lines;
    },
  },
  {
    code: 'DL3063',
    severity: 'warning',
    message: 'stage name should not be a reserved word',
    check: (p) => each(p, 'FROM', (i) => ['scratch', 'context'].includes(fromInfo(i).alias ?? '')),
  },
  {
    code: 'DL3067',
    severity: 'warning',
    message: 'Do not copy an entire filesystem from another stage',
    check: (p) =>
      eachCopy(
        p,
        ({ sources, dest }, i) =>
          flag(i.flags, 'from') !== undefined &&
          sources.length === 1 &&
          unquote(sources[0]) === '/' &&
          unquote(dest) === '/',
      ),
  },
];

function copyFrom(
  p: Pass,
  bad: (from: string, aliases: string[], froms: number, current: string | undefined) => boolean,
): number[] {
  const aliases: string[] = [];
  let froms = 0;
  let current: string | undefined;
  const lines: number[] = [];
  for (const i of p.instructions) {
    if (i.keyword === 'FROM') {
      current = fromInfo(i).alias;
      if (current) aliases.push(current);
      froms++;
    } else if (i.keyword === 'COPY') {
      const from = flag(i.flags, 'from');
      if (from !== undefined && bad(from, aliases, froms, current)) lines.push(i.line);
    }
  }
  return lines;
}

/** Is the image's registry (docker.io when none) matched by a trusted pattern? */
export function registryAllowed(image: string, trusted: readonly string[]): boolean {
  const reg = parseImage(image).registry;
  const candidates = reg ? [reg] : ['docker.io', 'hub.docker.com'];
  return trusted.some((t) =>
    candidates.some((r) => {
      if (t === '*') return true;
      if (t.startsWith('*')) return r.endsWith(t.slice(1));
      if (t.endsWith('*')) return r.startsWith(t.slice(0, -1));
      return r === t;
    }),
  );
}
