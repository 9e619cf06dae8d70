import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-FK53GITC.js";import"./chunk-FX6HDNJ4.js";import"./chunk-72TIBNV6.js";export{o as Inputs,r as Outputs,m as getInputs,p as runBlueGreen,t as step};
//# sourceMappingURL=step-7C24OMXH.js.map
