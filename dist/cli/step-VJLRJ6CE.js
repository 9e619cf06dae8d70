import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e,g as f}from"./chunk-MZSGFGP2.js";import"./chunk-L5LDYSP7.js";import"./chunk-2P7AIWVA.js";import"./chunk-3IEQIFAT.js";export{o as Inputs,r as Outputs,p as VERSION,e as buildConfig,m as getInputs,t as resolvePaths,f as step};
//# sourceMappingURL=step-VJLRJ6CE.js.map
