import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e}from"./chunk-FRNAHSV6.js";import"./chunk-3GCJOTP7.js";import"./chunk-KSQSBF7N.js";export{o as Inputs,r as Outputs,t as bakeFiles,m as getInputs,p as jsonOutput,e as step};
//# sourceMappingURL=step-HSTWRLIJ.js.map
