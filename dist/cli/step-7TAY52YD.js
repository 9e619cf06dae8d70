import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-IPJNEJ3G.js";import"./chunk-IGYXD4JE.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-7TAY52YD.js.map
