import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-5NHZWSYD.js";import"./chunk-L5LDYSP7.js";import"./chunk-2P7AIWVA.js";import"./chunk-3IEQIFAT.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-GXOODSYG.js.map
