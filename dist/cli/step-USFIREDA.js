import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-AFHUIP4Z.js";import"./chunk-K3YQS2ZP.js";import"./chunk-QEIH7CEF.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-USFIREDA.js.map
