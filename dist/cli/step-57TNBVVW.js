import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-MW7ZEWM3.js";import"./chunk-4L5W2RX4.js";import"./chunk-XSZYQMII.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-57TNBVVW.js.map
