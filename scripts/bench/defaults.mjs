#!/usr/bin/env node
// Issue 13 figure: places an input's default is written by hand (goal 1, its action.yml). Counts the
// copies in src/ (literal fallbacks for inputs whose action.yml has a default) and the pass-throughs that
// repeat a step default (reusable workflows, GitLab components, the plain GitLab pipeline, the
// Jenkinsfile): generated ones (marked `# from actions/<step>/action.yml`, written by npm run gen and
// compared by CI) are not written by hand; marked own-defaults differ on purpose and are listed. A place
// is one file's pass-through, however many calls it feeds.
import { figures } from '../check-interface.mjs';

const f = figures();
console.log(`inputs with a default in action.yml: ${f.inputsWithDefault}`);
console.log(`defaults written again in step code (src/): ${f.codeCopies}`);
console.log(`pass-throughs checked: ${f.passThroughs}; problems: ${f.problems.length}`);
console.log(`pass-through defaults generated from action.yml: ${f.generatedPlaces}`);
console.log(`pass-through defaults written by hand: ${f.handCopies}`);
console.log(
  `places per input where the default appears, generated included, max: ${f.maxPlacesWithGenerated}`,
);
for (const [k, n] of Object.entries(f.perInput))
  if (n === f.maxPlacesWithGenerated) console.log(`  ${k}: ${n}`);
console.log(`places per input written by hand, max: ${f.maxPlaces}`);
for (const [k, n] of Object.entries(f.counts)) if (n > 1) console.log(`  ${k}: ${n}`);
console.log(`own defaults (marked, differ on purpose): ${f.ownDefaults.length}`);
for (const p of f.ownDefaults) console.log(`  ${p.key}: ${p.file} ${p.outer}`);
for (const p of f.problems) console.error(`problem: ${p}`);
