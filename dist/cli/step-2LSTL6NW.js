import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-Z2SNDRT6.js";import"./chunk-DS7JJNFC.js";import"./chunk-2CKPOU4S.js";import"./chunk-XSZYQMII.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-2LSTL6NW.js.map
