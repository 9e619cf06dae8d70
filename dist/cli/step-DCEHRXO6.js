import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-OBQRRTQ4.js";import"./chunk-2KAQO5QS.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-DCEHRXO6.js.map
