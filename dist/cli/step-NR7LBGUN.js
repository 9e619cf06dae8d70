import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e,g as f}from"./chunk-AIF56PBL.js";import"./chunk-DS7JJNFC.js";import"./chunk-2CKPOU4S.js";import"./chunk-XSZYQMII.js";export{o as Inputs,r as Outputs,p as VERSION,e as buildConfig,m as getInputs,t as resolvePaths,f as step};
//# sourceMappingURL=step-NR7LBGUN.js.map
