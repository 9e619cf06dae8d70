import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { execForm, keyValues, words, type Instruction } from './parse.js';
import { shellPragma } from './pragmas.js';
import { fromInfo } from './rules/common.js';
import type { Finding, Severity } from './types.js';

/** One RUN body for ShellCheck: the script hadolint would hand it, and the RUN's first line. */
export interface ShellJob {
  line: number;
  script: string;
}

const PROXY_VARS = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
];
const EXCLUDED = ['SC2187', 'SC1090', 'SC1091'];
const SHELLS = new Set(['sh', 'bash', 'dash', 'ksh']);

/** Does a `#!` line name a shell ShellCheck understands (`/bin/sh`, `bash`, `/usr/bin/env bash`…)? */
export function checkableShebang(line: string): boolean {
  const words = line.replace(/^#!\s*/, '').split(/\s+/);
  const exe = words[0].split('/').pop() ?? '';
  const name = exe === 'env' ? (words.find((w, k) => k > 0 && !w.startsWith('-')) ?? '') : exe;
  return SHELLS.has(name);
}

interface ShellState {
  shell: string;
  vars: Set<string>;
}

/** The ShellCheck jobs of a Dockerfile: every shell-form RUN, with hadolint's per-stage shell state. */
export function shellJobs(instructions: Instruction[]): ShellJob[] {
  let defaultShell = '/bin/sh';
  const fresh = (): ShellState => ({ shell: defaultShell, vars: new Set(PROXY_VARS) });
  const byAlias = new Map<string, ShellState>();
  let state = fresh();
  let seenFrom = false;
  const jobs: ShellJob[] = [];
  const onbuild = fresh();
  for (const i of instructions) {
    if (i.keyword === '#') {
      const sh = shellPragma(i.args);
      if (sh && !seenFrom) defaultShell = sh;
      if (sh) state.shell = sh;
    } else if (i.keyword === 'FROM') {
      seenFrom = true;
      const info = fromInfo(i);
      const parent = byAlias.get(info.image);
      state = parent ? { shell: parent.shell, vars: new Set(parent.vars) } : fresh();
      if (info.alias) byAlias.set(info.alias, state);
    } else if (i.keyword === 'ONBUILD' && i.inner) {
      track(onbuild, i.inner);
      const job = makeJob(onbuild, { ...i.inner, line: i.line });
      if (job) jobs.push(job);
    } else {
      track(state, i);
      const job = makeJob(state, i);
      if (job) jobs.push(job);
    }
  }
  return jobs;
}

function track(state: ShellState, i: Instruction): void {
  if (i.keyword === 'SHELL') state.shell = (execForm(i.rest) ?? words(i.rest))[0] ?? state.shell;
  if (i.keyword === 'ARG') state.vars.add(i.rest.trim().split(/[=\s]/)[0]);
  if (i.keyword === 'ENV') for (const { key } of keyValues(i.rest)) state.vars.add(key);
}

function makeJob(state: ShellState, i: Instruction): ShellJob | undefined {
  if (i.keyword !== 'RUN' || execForm(i.rest)) return undefined;
  if (/pwsh|powershell|cmd/.test(state.shell)) return undefined;
  const exports = [...state.vars].filter((v) => /^[A-Za-z_]\w*$/.test(v)).map((v) => `export ${v}=1`);
  let body = i.rest;
  let shebang = `#!${state.shell.split(/\s+/)[0]}`;
  if (i.heredocs.length > 0) {
    // Deliberate difference (hadolint#806): a heredoc body is linted with its own shebang.
    const command = i.rest.replace(/(?<!<)<<-?(["']?)[A-Za-z_][A-Za-z0-9_.-]*\1/g, '').trim();
    if (command !== '' && !/^(ba|k|da)?sh\b/.test(command.split(/\s+/)[0].split('/').pop() ?? ''))
      return undefined;
    body = i.heredocs[0].body;
    const own = /^#!.*/.exec(body);
    if (own) {
      shebang = own[0];
      body = body.slice(own[0].length + 1);
    }
  }
  const script = [shebang, ...exports, body].join('\n') + '\n';
  if (!checkableShebang(shebang)) return undefined;
  return { line: i.line, script };
}

interface Json1 {
  comments: { file: string; line: number; code: number; level: string; message: string }[];
}

/** RUN bodies per shellcheck process: few processes, yet a bounded argv and a bounded batch of temp files. */
const BATCH = 200;
/** shellcheck processes at once (CI runners have two cores). */
const PARALLEL = 2;

/**
 * Runs shellcheck over every job (multi-file mode, one temp file per RUN body) in batches of
 * {@link BATCH}, at most {@link PARALLEL} at a time, writing each batch's files one by one, so the
 * number of open files stays small whatever the Dockerfile's size (issue 12: 1,500 RUN lines hit
 * EMFILE). Returns each job's findings, deduplicated, at the RUN's first line; `undefined` when the
 * binary is not on PATH (checked by spawning it, so no extra `--version` process).
 */
export async function runShellcheck(
  jobs: ShellJob[],
  binary = 'shellcheck',
): Promise<Finding[][] | undefined> {
  const results: Finding[][] = jobs.map(() => []);
  if (jobs.length === 0) return results;
  const batches: number[][] = [];
  for (let k = 0; k < jobs.length; k += BATCH)
    batches.push(Array.from({ length: Math.min(BATCH, jobs.length - k) }, (_, n) => k + n));
  const dir = await mkdtemp(join(tmpdir(), 'shipkit-sc-'));
  let missing = false;
  try {
    let next = 0;
    const worker = async () => {
      while (!missing && next < batches.length) {
        const batch = batches[next++];
        if (!(await runBatch(dir, batch, jobs, results, binary))) missing = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, batches.length) }, worker));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return missing ? undefined : results;
}

/** One shellcheck process over the jobs `ids`; false when the binary is missing. */
async function runBatch(
  dir: string,
  ids: number[],
  jobs: ShellJob[],
  results: Finding[][],
  binary: string,
): Promise<boolean> {
  const files = ids.map((k) => join(dir, `run${k}.sh`));
  for (const [n, k] of ids.entries()) await writeFile(files[n], jobs[k].script);
  let res;
  try {
    res = await exec(binary, ['--norc', '-f', 'json1', '-S', 'style', '-e', EXCLUDED.join(','), ...files], {
      check: false,
      cwd: dir,
    });
  } catch (err: unknown) {
    if (err instanceof Error && err.message.endsWith('command not found')) return false;
    throw err;
  }
  if (res.code > 2 || (res.code !== 0 && !res.stdout.trim().startsWith('{')))
    throw new Error(`shellcheck exited ${res.code}: ${res.stderr.trim()}`);
  const parsed = JSON.parse(res.stdout || '{"comments":[]}') as Json1;
  const index = new Map(files.map((f, n) => [f, ids[n]]));
  for (const c of parsed.comments) {
    const k = index.get(c.file) ?? index.get(join(dir, c.file));
    if (k === undefined) continue;
    const code = `SC${c.code}`;
    if (results[k].some((f) => f.code === code && f.message === c.message)) continue;
    results[k].push({ code, severity: level(c.level), message: c.message, line: jobs[k].line, column: 1 });
  }
  for (const f of files) await rm(f, { force: true });
  return true;
}

function level(l: string): Severity {
  return l === 'error' || l === 'warning' || l === 'info' ? l : 'style';
}
