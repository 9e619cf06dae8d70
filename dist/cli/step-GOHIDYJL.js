import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-54EXJUGW.js";import"./chunk-M45Y5VX5.js";import"./chunk-6NMJZZSJ.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-GOHIDYJL.js.map
