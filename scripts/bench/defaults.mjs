#!/usr/bin/env node
// Issue 13 figure: places an input's default is written by hand (goal 1, its action.yml). Counts the
// copies in src/ (literal fallbacks for inputs whose action.yml has a default) and in the YAML that
// passes inputs through (reusable workflows, GitLab components, the plain GitLab pipeline), and the
// pass-throughs whose default differs from the step's (must be 0; test/interface.test.ts fails on any).
import { figures } from '../check-interface.mjs';

const f = figures();
console.log(`inputs with a default in action.yml: ${f.inputsWithDefault}`);
console.log(`defaults written again in step code (src/): ${f.codeCopies}`);
console.log(`pass-throughs checked: ${f.passThroughs}; differing from the step: ${f.problems.length}`);
console.log(`pass-throughs that repeat the step's default: ${f.yamlCopies}`);
console.log(`places per input, max: ${f.maxPlaces}`);
for (const [k, n] of Object.entries(f.counts)) if (n > 1) console.log(`  ${k}: ${n}`);
