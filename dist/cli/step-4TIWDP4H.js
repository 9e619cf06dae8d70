import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-VFLGO2LC.js";import"./chunk-JKVHZSHM.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-4TIWDP4H.js.map
