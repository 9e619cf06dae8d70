import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-U52JEKVP.js";import{b as o,c as r}from"./chunk-BLSPGYSO.js";import"./chunk-2CKPOU4S.js";import"./chunk-XSZYQMII.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-EFKZQVYE.js.map
