import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-XDBAWFFX.js";import"./chunk-IGYXD4JE.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-IR5AAWQN.js.map
