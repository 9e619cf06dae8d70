#!/usr/bin/env bash
# Lint benchmarks (issue 2), whole-process timings with hyperfine on a generated corpus:
#  (a) shipkit lint, ShellCheck off, vs the dockerfilelint CLI on the same files (those it does not throw on);
#  (b) shipkit lint, ShellCheck on, vs `shellcheck` alone on the same RUN bodies (one process each);
#  (c) cold start of the bundles.
# Usage: scripts/bench/lint.sh [count=500] [runs=3]. Needs `npm run build`, hyperfine, shellcheck.
# ShellCheck itself is slow (~8 ms CPU per RUN body), so (b) runs twice without warm-up to stay bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-500}
RUNS=${2:-3}
WORK=$(mktemp -d /tmp/sklint-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

node scripts/bench/lint-corpus.mjs "$WORK/corpus" "$COUNT"
node scripts/bench/lint-prep.mjs "$WORK/corpus" "$WORK"
CLI="node $PWD/dist/cli/index.js lint"
DFL="$PWD/node_modules/.bin/dockerfilelint"
OK="$WORK/ok.txt"
ALL="$WORK/all.txt"
mkdir -p "$WORK/empty"

hf() { hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" -i --export-json "$WORK/$1.json" "${@:2}" >/dev/null; }
WARMUP=1
hf a -n dockerfilelint "xargs $DFL < $OK > /dev/null" \
  -n "shipkit (shellcheck off)" "xargs $CLI --shellcheck false --no-fail -f json < $OK > /dev/null" \
  -n "shipkit all files (shellcheck off)" "xargs $CLI --shellcheck false --no-fail -f json < $ALL > /dev/null"
WARMUP=0 RUNS=2 hf b -n "shellcheck alone" "shellcheck -f json1 -S style -e SC2187,SC1090,SC1091 $WORK/jobs/*.sh > /dev/null" \
  -n "shipkit (shellcheck on)" "xargs $CLI --no-fail -f json < $ALL > /dev/null"
hf c -n "cli lint --help" "$CLI --help > /dev/null" \
  -n "action bundle dist/lint/index.js" "cd $WORK/empty && node $PWD/dist/lint/index.js > /dev/null"

node - "$WORK" <<'JS'
const fs = require('fs');
const dir = process.argv[2];
const r = (f) => Object.fromEntries(JSON.parse(fs.readFileSync(`${dir}/${f}.json`)).results.map((x) => [x.command, x]));
const ms = (x) => `${(x.mean * 1000).toFixed(0)} ms ± ${(x.stddev * 1000).toFixed(0)} (cpu ${((x.user + x.system) * 1000).toFixed(0)} ms)`;
const throws = fs.readFileSync(`${dir}/throws.txt`, 'utf8').split('\n').filter(Boolean).length;
const files = fs.readFileSync(`${dir}/all.txt`, 'utf8').split('\n').filter(Boolean).length;
const a = r('a'), b = r('b'), c = r('c');
const bodies = fs.readdirSync(`${dir}/jobs`).length;
console.log(`corpus: ${files} Dockerfiles, ${bodies} shell-form RUN bodies; dockerfilelint throws on ${throws} of them (excluded from its run)`);
for (const [k, v] of Object.entries(a)) console.log(`(a) ${k}: ${ms(v)}`);
console.log(`(a) ratio shipkit/dockerfilelint (same files): ${(a['shipkit (shellcheck off)'].mean / a.dockerfilelint.mean).toFixed(2)}x wall, ` +
  `${((a['shipkit (shellcheck off)'].user + a['shipkit (shellcheck off)'].system) / (a.dockerfilelint.user + a.dockerfilelint.system)).toFixed(2)}x cpu (goal <= 1.00)`);
for (const [k, v] of Object.entries(b)) console.log(`(b) ${k}: ${ms(v)}`);
console.log(`(b) ratio shipkit/shellcheck: ${(b['shipkit (shellcheck on)'].mean / b['shellcheck alone'].mean).toFixed(2)}x wall (goal <= 1.30)`);
for (const [k, v] of Object.entries(c)) console.log(`(c) ${k}: ${ms(v)} (goal < 300 ms)`);
JS
