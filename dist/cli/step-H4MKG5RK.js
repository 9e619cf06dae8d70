import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-A2RTIEPU.js";import"./chunk-I5AJHAAJ.js";import"./chunk-JHBB2WFN.js";import"./chunk-QNNG5I6I.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-H4MKG5RK.js.map
