import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-JL3JWSXC.js";import"./chunk-AAYMZB7P.js";import"./chunk-IGYXD4JE.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-GUX3BRJS.js.map
