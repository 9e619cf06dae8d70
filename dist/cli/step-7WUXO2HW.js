import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e,g as f}from"./chunk-DG4ZHVYT.js";import"./chunk-HQ4X7JIV.js";import"./chunk-2KAQO5QS.js";export{o as Inputs,r as Outputs,p as VERSION,e as buildConfig,m as getInputs,t as resolvePaths,f as step};
//# sourceMappingURL=step-7WUXO2HW.js.map
