import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-26YAOW6G.js";import"./chunk-K24TAC7L.js";import"./chunk-3IEQIFAT.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-NQI6VXPA.js.map
