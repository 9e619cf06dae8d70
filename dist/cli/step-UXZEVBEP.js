import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-MDL4C7CG.js";import{b as o,c as r}from"./chunk-K444K6KI.js";import"./chunk-AAYMZB7P.js";import"./chunk-IGYXD4JE.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-UXZEVBEP.js.map
