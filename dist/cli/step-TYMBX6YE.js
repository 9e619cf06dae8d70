import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-TDS3RNXS.js";import"./chunk-QEIH7CEF.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-TYMBX6YE.js.map
