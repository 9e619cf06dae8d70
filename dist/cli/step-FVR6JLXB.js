import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e,g as f}from"./chunk-QESJCNYV.js";import"./chunk-FX6HDNJ4.js";import"./chunk-72TIBNV6.js";export{o as Inputs,r as Outputs,p as VERSION,e as buildConfig,m as getInputs,t as resolvePaths,f as step};
//# sourceMappingURL=step-FVR6JLXB.js.map
