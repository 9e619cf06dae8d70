import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-ZYKHEWYV.js";import"./chunk-K3YQS2ZP.js";import"./chunk-QEIH7CEF.js";export{o as Inputs,r as Outputs,m as getInputs,p as runBlueGreen,t as step};
//# sourceMappingURL=step-ECFABKFC.js.map
