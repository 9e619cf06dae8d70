import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e,g as f}from"./chunk-MCQ2MGAO.js";import"./chunk-BUBHUOI5.js";import"./chunk-2B64TEYV.js";import"./chunk-KSQSBF7N.js";export{o as Inputs,r as Outputs,p as VERSION,e as buildConfig,m as getInputs,t as resolvePaths,f as step};
//# sourceMappingURL=step-35NU2B65.js.map
