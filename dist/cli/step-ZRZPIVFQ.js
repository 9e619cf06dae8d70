import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-BAHGYURX.js";import"./chunk-3XIIDECC.js";import"./chunk-QNNG5I6I.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-ZRZPIVFQ.js.map
