import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-GD53GU5E.js";import"./chunk-MDLJXBUK.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-HUSO3GSB.js.map
