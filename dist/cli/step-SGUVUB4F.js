import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-4Y5FSVWK.js";import"./chunk-HQ4X7JIV.js";import"./chunk-2KAQO5QS.js";export{o as Inputs,r as Outputs,m as getInputs,p as runBlueGreen,t as step};
//# sourceMappingURL=step-SGUVUB4F.js.map
