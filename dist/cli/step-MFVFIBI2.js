import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-BP7QHSRH.js";import"./chunk-CYKWECXE.js";import"./chunk-MDLJXBUK.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-MFVFIBI2.js.map
