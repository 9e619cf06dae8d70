import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-Z3Y6A4OP.js";import"./chunk-QEIH7CEF.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-S3XHEIQH.js.map
