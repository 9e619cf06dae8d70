import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-7H567FRN.js";import"./chunk-72TIBNV6.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-6BTG6I6X.js.map
