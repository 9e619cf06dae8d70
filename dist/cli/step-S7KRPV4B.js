import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e}from"./chunk-EAMWSWPU.js";import"./chunk-FX6HDNJ4.js";import"./chunk-72TIBNV6.js";export{o as Inputs,r as Outputs,t as notify,p as planMessages,m as secretsOf,e as step};
//# sourceMappingURL=step-S7KRPV4B.js.map
