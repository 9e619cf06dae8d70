import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-BSS7KVPO.js";import"./chunk-FX6HDNJ4.js";import"./chunk-72TIBNV6.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-2ZGTJAC2.js.map
