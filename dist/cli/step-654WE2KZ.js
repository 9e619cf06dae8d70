import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e}from"./chunk-6HB2KDEL.js";import"./chunk-JHBB2WFN.js";import"./chunk-QNNG5I6I.js";export{o as Inputs,r as Outputs,t as notify,p as planMessages,m as secretsOf,e as step};
//# sourceMappingURL=step-654WE2KZ.js.map
