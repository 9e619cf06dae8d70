import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,k as p,l as t,m as e}from"./chunk-LABSBGTK.js";import"./chunk-QEIH7CEF.js";export{o as Inputs,r as Outputs,t as bakeFiles,m as getInputs,p as jsonOutput,e as step};
//# sourceMappingURL=step-3MZOPS2S.js.map
