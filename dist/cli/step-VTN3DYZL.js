import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-6SMCLQY4.js";import"./chunk-HQ4X7JIV.js";import"./chunk-2KAQO5QS.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-VTN3DYZL.js.map
