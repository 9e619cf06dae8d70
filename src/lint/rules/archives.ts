import { execForm, type Instruction } from '../parse.js';
import { argsNoFlags, type Command } from '../shell.js';
import { commands, flag, type RuleDef } from './common.js';
import { isArchive } from './instructions.js';

// DL3010: an archive COPY'd into a stage and extracted there later should have been ADDed.

/** Strips surrounding quote characters, as hadolint's `dropQuotes` does. */
const dropQuotes = (s: string): string => s.replace(/^["']+|["']+$/g, '');

/** The last path component; `/` and Windows `\` both separate (quotes dropped first). */
export function archiveBasename(path: string): string {
  const p = dropQuotes(path);
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

/**
 * COPY's words as the Dockerfile parser keeps them: split on unquoted whitespace, quotes and
 * backslashes left in place (`build\foo\bar.tar.gz`, `"C:\Program Files\Foo"`).
 */
export function rawCopyWords(rest: string): string[] {
  const json = execForm(rest);
  if (json) return json;
  return rest.match(/(?:"[^"]*"?|'[^']*'?|\S)+/g) ?? [];
}

/** The archive names a COPY leaves in the image: the destination's when it is an archive, else each archive source's. */
function copiedArchives(i: Instruction): string[] {
  const w = rawCopyWords(i.rest);
  const dest = w[w.length - 1] ?? '';
  if (isArchive(dropQuotes(dest))) return [archiveBasename(dest)];
  return [...new Set(w.slice(0, -1).map(archiveBasename).filter(isArchive))];
}

const EXTRACTORS = ['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat'];

/** tar with `--extract`, `--get` or any dash word holding an `x`, or an unzip-like tool. */
function extracts(c: Command): boolean {
  if (EXTRACTORS.includes(c.name)) return true;
  return (
    c.name === 'tar' &&
    c.args.some((a) => a === '--extract' || a === '--get' || (a.startsWith('-') && a.includes('x')))
  );
}

export const archiveRule: RuleDef = {
  code: 'DL3010',
  severity: 'info',
  message: 'Use `ADD` for extracting archives into an image',
  check: (p) => {
    let copied: { line: number; name: string; extracted: boolean }[] = [];
    const all: (typeof copied)[] = [copied];
    for (const i of p.instructions) {
      if (i.keyword === 'FROM') all.push((copied = []));
      else if (i.keyword === 'COPY' && flag(i.flags, 'from') === undefined) {
        for (const name of copiedArchives(i)) {
          if (!copied.some((c) => c.line === i.line && c.name === name))
            copied.push({ line: i.line, name, extracted: false });
        }
      } else if (i.keyword === 'RUN' && copied.length > 0) {
        const names = commands(i)
          .filter(extracts)
          .flatMap((c) => argsNoFlags(c).map(archiveBasename));
        for (const c of copied) if (names.includes(c.name)) c.extracted = true;
      }
    }
    return all
      .flat()
      .filter((c) => c.extracted)
      .map((c) => c.line)
      .sort((a, b) => a - b);
  },
};
