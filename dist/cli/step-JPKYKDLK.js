import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-UNIPEYZR.js";import{b as o,c as r}from"./chunk-TYX67JAD.js";import"./chunk-JHBB2WFN.js";import"./chunk-QNNG5I6I.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-JPKYKDLK.js.map
