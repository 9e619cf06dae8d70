import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-SIU7YGHT.js";import"./chunk-BUBHUOI5.js";import"./chunk-2B64TEYV.js";import"./chunk-KSQSBF7N.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-G22SEKAJ.js.map
