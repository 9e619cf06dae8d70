import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/lint/parse.js';
import { parseShell } from '../../src/lint/shell.js';
import { shellJobs } from '../../src/lint/shellcheck.js';
import { linesOf } from './helpers.js';

const ok = (text: string) => {
  const r = parseDockerfile(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.instructions;
};

describe('Dockerfile parser', () => {
  it('gives each instruction its start line; comments are instructions', () => {
    const i = ok('# c\nFROM a:1\n\nRUN a \\\n  && b\nCMD ["x"]\n');
    expect(i.map((x) => [x.keyword, x.line])).toEqual([
      ['#', 1],
      ['FROM', 2],
      ['RUN', 4],
      ['CMD', 6],
    ]);
    expect(i[2].rest).toBe('a   && b');
  });
  it('drops comment lines inside a continuation', () => {
    const i = ok('FROM a:1\nRUN a \\\n# inside\n  && b\nUSER x\n');
    expect(i.map((x) => [x.keyword, x.line])).toEqual([
      ['FROM', 1],
      ['RUN', 2],
      ['USER', 5],
    ]);
  });
  it('honours the escape directive', () => {
    const i = ok('# escape=`\nFROM a:1\nRUN a `\n  b\n');
    expect(i[0].directive).toBe(true);
    expect(i[2].rest).toBe('a   b');
  });
  it('reads heredoc bodies and keeps later line numbers right', () => {
    const i = ok('FROM a:1\nRUN <<EOF\necho 1\necho 2\nEOF\nUSER x\n');
    expect(i[1].heredocs[0].body).toBe('echo 1\necho 2\n');
    expect(i[2]).toMatchObject({ keyword: 'USER', line: 6 });
  });
  it('difference: accepts unknown BuildKit flags (hadolint#951)', () => {
    const i = ok(
      'FROM a:1\nRUN --mount=type=cache,target=/x --network=none --security=insecure --future=1 true\nADD --keep-git-dir=true https://x/y.git /s\n',
    );
    expect(i[1].flags.map((f) => f.name)).toEqual(['mount', 'network', 'security', 'future']);
    expect(i[1].rest).toBe('true');
    expect(linesOf('DL1000', 'FROM a:1\nCOPY --link --parents --exclude=*.md a /b/\n')).toEqual([]);
  });
  it.each([
    ['unknown instruction', 'FROM a:1\nFOO bar\n', 2],
    ['FROM without image', 'FROM\n', 1],
    ['bad EXPOSE', 'FROM a:1\nEXPOSE http\n', 2],
    ['unterminated heredoc', 'FROM a:1\nRUN <<EOF\necho\n', 2],
    ['bad HEALTHCHECK', 'FROM a:1\nHEALTHCHECK curl x\n', 2],
    ['SHELL not JSON', 'FROM a:1\nSHELL /bin/bash -c\n', 2],
  ])('parse error: %s → DL1000 at the right line', (_n, text, line) => {
    const r = parseDockerfile(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.line).toBe(line);
    expect(linesOf('DL1000', text)).toEqual([line]);
  });
});

describe('shell-command model', () => {
  const names = (s: string) => parseShell(s).commands.map((c) => c.name);
  it('finds commands after && ; | and in subshells and $(…)', () => {
    expect(names('a && b; c | d || (e) && x=$(f g)')).toEqual(['f', 'a', 'b', 'c', 'd', 'e']);
  });
  it('skips assignments, keywords, for-lists and case patterns', () => {
    expect(names('X=1 Y=2 env; if [ a ]; then b; else c; fi; for i in 1 2; do d $i; done')).toEqual([
      'env',
      '[',
      'b',
      'c',
      'd',
    ]);
    expect(names('case "$x" in a) e ;; *) f ;; esac')).toEqual(['e', 'f']);
  });
  it('simplifies words and splits flags as ShellCheck does', () => {
    const [c] = parseShell(`apt-get install -qy --no-install-recommends "a=1" 'b' $V \${W}`).commands;
    expect(c.args).toEqual(['install', '-qy', '--no-install-recommends', 'a=1', 'b', '${V}', '${W}']);
    expect(c.flags).toEqual(['q', 'y', 'no-install-recommends']);
  });
  it('skips redirection targets and fd numbers', () => {
    const [c] = parseShell('make 2>/dev/null >out.txt all').commands;
    expect(c.args).toEqual(['all']);
  });
  it('knows pipes from || and quoted bars', () => {
    expect(parseShell('a || b').hasPipe).toBe(false);
    expect(parseShell('echo "a|b"').hasPipe).toBe(false);
    expect(parseShell('a |& b').hasPipe).toBe(true);
  });
});

describe('heredoc markers', () => {
  it('ignores << inside quotes and here-strings', () => {
    expect(linesOf('DL1000', 'FROM a:1\nRUN echo "a<<b" && cat <<< x\nUSER 1\n')).toEqual([]);
  });
  it('pip install --upgrade pip is unpinned; python -m pip module name is not a package', () => {
    expect(linesOf('DL3013', 'FROM a:1\nRUN pip install --upgrade pip\n')).toEqual([2]);
    expect(linesOf('DL3013', 'FROM a:1\nRUN python -m pip install x==1\n')).toEqual([]);
  });
});

describe('more parse errors', () => {
  it.each([
    ['FROM alias without name', 'FROM a:1 AS\n', [1]],
    ['FROM with garbage', 'FROM a:1 b c\n', [1]],
    ['COPY with one word', 'FROM a:1\nCOPY a\n', [2]],
    ['COPY heredoc is fine', 'FROM a:1\nCOPY <<EOF /x\nhi\nEOF\n', []],
  ])('%s', (_n, text, lines) => {
    expect(linesOf('DL1000', text)).toEqual(lines);
  });
});

describe('ShellCheck jobs', () => {
  const jobs = (text: string) => {
    const r = parseDockerfile(text);
    return r.ok ? shellJobs(r.instructions) : [];
  };
  it('script = shebang of the current shell + exports of known variables + the RUN text', () => {
    const [job] = jobs('ARG GLOBAL=1\nFROM a:1\nARG V=1\nENV E=2 F=3\nRUN echo $V\n');
    expect(job.line).toBe(5);
    expect(job.script.split('\n')[0]).toBe('#!/bin/sh');
    expect(job.script).toContain('export V=1\nexport E=1\nexport F=1\necho $V');
    expect(job.script).toContain('export no_proxy=1');
    expect(job.script).not.toContain('GLOBAL');
  });
  it('SHELL and the shell pragma choose the shebang; pwsh/cmd and exec form are skipped', () => {
    expect(jobs('FROM a:1\nSHELL ["/bin/bash", "-c"]\nRUN x\n')[0].script).toMatch(/^#!\/bin\/bash\n/);
    expect(jobs('# hadolint shell=bash\nFROM a:1\nRUN x\n')[0].script).toMatch(/^#!bash\n/);
    expect(jobs('FROM a:1\nSHELL ["pwsh", "-c"]\nRUN x\n')).toEqual([]);
    expect(jobs('FROM a:1\nRUN ["echo", "x"]\n')).toEqual([]);
  });
  it('FROM <alias> inherits shell and variables; another FROM resets them', () => {
    const j = jobs('FROM a:1 AS b\nSHELL ["/bin/bash", "-c"]\nARG X\nFROM b\nRUN x\nFROM c:1\nRUN y\n');
    expect(j[0].script).toMatch(/^#!\/bin\/bash\n[\s\S]*export X=1/);
    expect(j[1].script).toMatch(/^#!\/bin\/sh\n/);
    expect(j[1].script).not.toContain('export X=1');
  });
  it('difference: heredoc bodies use their own shebang; non-shell bodies are skipped', () => {
    expect(jobs('FROM a:1\nRUN <<EOF\n#!/usr/bin/env bash\necho hi\nEOF\n')[0].script).toMatch(
      /^#!\/usr\/bin\/env bash\n/,
    );
    expect(jobs('FROM a:1\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n')).toEqual([]);
    expect(jobs('FROM a:1\nRUN python3 <<EOF\nprint(1)\nEOF\n')).toEqual([]);
  });
});
