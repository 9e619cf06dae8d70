import { posix, relative, resolve } from 'node:path';
import { execForm, keyValues, parseDockerfile, splitFlags, words, type Instruction } from '../parse.js';
import { kindInside, listInside } from './files.js';
import type { At, Feed, Healthcheck, ImageInfo, Located } from './types.js';

/** The stage the image is built from: the last one, or the `target` stage. */
function lastStage(instructions: Instruction[]): Instruction[] {
  let start = 0;
  instructions.forEach((i, k) => {
    if (i.keyword === 'FROM') start = k;
  });
  return instructions.slice(start);
}

function cmdValue(rest: string): string[] | string {
  return execForm(rest) ?? rest.trim();
}

function healthcheckOf(i: Instruction, at: At): Healthcheck {
  const { rest } = splitFlags(i.rest);
  const t = rest.trim();
  if (/^NONE$/i.test(t)) return { ...at, disable: true };
  const body = t.replace(/^CMD\s+/i, '');
  const exec = execForm(body);
  return { ...at, disable: false, test: exec ? ['CMD', ...exec] : ['CMD-SHELL', body] };
}

/** Glob `*`/`?` in the last path segment only (what COPY lines mostly use). */
function expand(root: string, context: string, src: string): string[] {
  if (!/[*?[]/.test(src)) return [resolve(context, src)];
  const dir = posix.dirname(src);
  const re = new RegExp(
    '^' +
      posix
        .basename(src)
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '.') +
      '$',
  );
  return listInside(root, resolve(context, dir))
    .filter((f) => !f.includes('/') && re.test(f))
    .map((f) => resolve(context, dir, f));
}

/**
 * Reads what lint needs from a Dockerfile's final stage: ENV, EXPOSE, HEALTHCHECK, CMD,
 * ENTRYPOINT, RUN text and what COPY/ADD put where (sources inside `root` only).
 */
export function imageInfo(
  text: string,
  rel: string,
  root: string,
  context: string,
): ImageInfo | { error: { line: number; message: string } } {
  const parsed = parseDockerfile(text);
  if (!parsed.ok) return { error: { line: parsed.error.line, message: parsed.error.message } };
  const info: ImageInfo = { dockerfile: rel, env: new Map(), expose: [], copies: [], runs: [] };
  let workdir = '/';
  for (const i of lastStage(parsed.instructions)) {
    const at = { file: rel, line: i.line };
    switch (i.keyword) {
      case 'ENV':
        for (const kv of keyValues(i.rest)) info.env.set(kv.key, { value: kv.value, ...at });
        break;
      case 'EXPOSE':
        info.expose.push(...words(i.rest).map((p) => p.replace(/\/(tcp|udp)$/, '')));
        break;
      case 'HEALTHCHECK':
        info.healthcheck = healthcheckOf(i, at);
        break;
      case 'CMD':
        info.cmd = { value: cmdValue(i.rest), ...at };
        break;
      case 'ENTRYPOINT':
        info.entrypoint = { value: cmdValue(i.rest), ...at };
        info.cmd = undefined; // ENTRYPOINT resets an inherited CMD
        break;
      case 'RUN':
        info.runs.push({ value: execForm(i.rest)?.join(' ') ?? i.rest, ...at });
        break;
      case 'WORKDIR':
        workdir = posix.resolve(workdir, words(i.rest)[0] ?? '/');
        break;
      case 'COPY':
      case 'ADD':
        if (i.flags.some((f) => f.name === 'from')) break;
        info.copies.push(...copies(i, at, root, context, workdir));
        break;
    }
  }
  return info;
}

function copies(i: Instruction, at: At, root: string, context: string, workdir: string): Feed[] {
  const parts = execForm(i.rest) ?? words(i.rest);
  if (parts.length < 2 || i.heredocs.length > 0) return [];
  const dest = posix.resolve(workdir, parts[parts.length - 1]);
  const srcs = parts.slice(0, -1).filter((s) => !/^[a-z]+:\/\//.test(s));
  const intoDir = parts[parts.length - 1].endsWith('/') || srcs.length > 1 || /[*?[]/.test(srcs[0] ?? '');
  const out: Feed[] = [];
  for (const written of srcs) {
    for (const source of expand(root, context, written)) {
      const kind = kindInside(root, source);
      if (kind === 'dir') {
        for (const f of listInside(root, source))
          out.push({
            source: resolve(source, f),
            target: posix.join(dest, f.split('\\').join('/')),
            at,
            written,
          });
      } else {
        const target = intoDir ? posix.join(dest, posix.basename(relative(context, source))) : dest;
        out.push({ source, target, at, written });
      }
    }
  }
  return out;
}

/** The command a container runs: entrypoint + command, with where each comes from. */
export function effectiveCommand(
  composeEntrypoint: Located<string[] | string> | undefined,
  composeCommand: Located<string[] | string> | undefined,
  image: ImageInfo | undefined,
): { entrypoint?: Located<string[] | string>; command?: Located<string[] | string> } {
  const entrypoint = composeEntrypoint ?? image?.entrypoint;
  // compose's entrypoint: resets the image's CMD, as docker run --entrypoint does
  const command = composeCommand ?? (composeEntrypoint ? undefined : image?.cmd);
  return { entrypoint, command };
}
