import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-MEPDDP4A.js";import"./chunk-JHBB2WFN.js";import"./chunk-QNNG5I6I.js";export{o as Inputs,r as Outputs,m as getInputs,p as runBlueGreen,t as step};
//# sourceMappingURL=step-BXY4TTCM.js.map
