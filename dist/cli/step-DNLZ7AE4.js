import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-3DNK2C3D.js";import{b as o,c as r}from"./chunk-6FKMUBFX.js";import"./chunk-2P7AIWVA.js";import"./chunk-3IEQIFAT.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-DNLZ7AE4.js.map
