import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e}from"./chunk-DMA7IMK4.js";import"./chunk-4WFWTV5X.js";import"./chunk-XSZYQMII.js";export{o as Inputs,r as Outputs,t as bakeFiles,m as getInputs,p as jsonOutput,e as step};
//# sourceMappingURL=step-OADJ7IAU.js.map
