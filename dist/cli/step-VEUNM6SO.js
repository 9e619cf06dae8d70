import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-WSLXA2ZU.js";import"./chunk-MDLJXBUK.js";export{o as Inputs,r as Outputs,m as makeStep,p as step};
//# sourceMappingURL=step-VEUNM6SO.js.map
