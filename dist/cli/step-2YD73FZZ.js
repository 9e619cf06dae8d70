import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-T7QNN5HY.js";import"./chunk-HD2VFJLG.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-2YD73FZZ.js.map
