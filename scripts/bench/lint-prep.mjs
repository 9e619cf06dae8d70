#!/usr/bin/env node
// Prepares the inputs of scripts/bench/lint.sh from a corpus dir:
//  - ok.txt / throws.txt: which files dockerfilelint (in-process, its own lib) handles or throws on;
//  - jobs/*.sh: the exact RUN-body scripts shipkit hands to ShellCheck (one file per RUN), so
//    `shellcheck jobs/*.sh` is "shellcheck alone on the same RUN bodies".
import { importFromSource } from './from-source.mjs';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [corpus, out] = process.argv.slice(2);
const root = new URL('../..', import.meta.url).pathname;
const files = [];
(function walk(d) {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
})(corpus);
files.sort();

const dfl = createRequire(join(root, 'package.json'))('dockerfilelint');
const ok = [];
const throws = [];
for (const f of files) {
  try {
    dfl.run(root, readFileSync(f, 'utf8'));
    ok.push(f);
  } catch {
    throws.push(f);
  }
}
mkdirSync(join(out, 'jobs'), { recursive: true });
writeFileSync(join(out, 'ok.txt'), ok.join('\n') + '\n');
writeFileSync(join(out, 'all.txt'), files.join('\n') + '\n');
writeFileSync(join(out, 'throws.txt'), throws.join('\n') + (throws.length ? '\n' : ''));

// Bundle the job builder from source so the scripts are exactly what the step produces.
const { jobs } = await importFromSource(
  `import { parseDockerfile } from './src/lint/parse.ts';
      import { shellJobs } from './src/lint/shellcheck.ts';
      export function jobs(text) { const r = parseDockerfile(text); return r.ok ? shellJobs(r.instructions) : []; }`,
  join(out, 'jobs.mjs'),
);
let n = 0;
for (const f of files)
  for (const j of jobs(readFileSync(f, 'utf8'))) writeFileSync(join(out, 'jobs', `run${n++}.sh`), j.script);
console.log(
  `files=${files.length} dockerfilelint_ok=${ok.length} dockerfilelint_throws=${throws.length} run_bodies=${n}`,
);
