import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-7CKCUJDQ.js";import{b as o,c as r}from"./chunk-BJIQ764G.js";import"./chunk-2B64TEYV.js";import"./chunk-KSQSBF7N.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-VEVWWDIE.js.map
