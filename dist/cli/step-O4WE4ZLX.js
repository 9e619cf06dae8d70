import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-R4XFAD4J.js";import"./chunk-2KAQO5QS.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-O4WE4ZLX.js.map
