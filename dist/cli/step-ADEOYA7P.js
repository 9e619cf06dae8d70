import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-4HYLS7P7.js";import{b as o,c as r}from"./chunk-FINBAUEJ.js";import"./chunk-K3YQS2ZP.js";import"./chunk-QEIH7CEF.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-ADEOYA7P.js.map
