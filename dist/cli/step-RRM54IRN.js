import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-M2ZWMFQO.js";import{b as o,c as r}from"./chunk-V3UY5G73.js";import"./chunk-Y3INGT2E.js";import"./chunk-JKVHZSHM.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-RRM54IRN.js.map
