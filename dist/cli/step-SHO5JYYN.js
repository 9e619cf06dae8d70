import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-MVTH4BM2.js";import{b as o,c as r}from"./chunk-SMGYVIL6.js";import"./chunk-HQ4X7JIV.js";import"./chunk-2KAQO5QS.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-SHO5JYYN.js.map
