import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e}from"./chunk-P6CRIKQO.js";import"./chunk-HQ4X7JIV.js";import"./chunk-2KAQO5QS.js";export{o as Inputs,r as Outputs,t as notify,p as planMessages,m as secretsOf,e as step};
//# sourceMappingURL=step-MAYJDXXD.js.map
