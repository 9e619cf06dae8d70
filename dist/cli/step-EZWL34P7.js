import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-DF5FEP27.js";import"./chunk-6NMJZZSJ.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-EZWL34P7.js.map
