import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-5UJWEOQC.js";import{b as o,c as r}from"./chunk-52RZJW65.js";import"./chunk-M45Y5VX5.js";import"./chunk-6NMJZZSJ.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-3EALWJNJ.js.map
