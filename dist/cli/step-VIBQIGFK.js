import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-3Q2ZHN74.js";import"./chunk-Y3INGT2E.js";import"./chunk-JKVHZSHM.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-VIBQIGFK.js.map
