import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-WMM5Y4XH.js";import"./chunk-6NMJZZSJ.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-2THIKGKC.js.map
