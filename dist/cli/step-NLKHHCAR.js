import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-KXDZZGBH.js";import"./chunk-4L5W2RX4.js";import"./chunk-QNNG5I6I.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-NLKHHCAR.js.map
