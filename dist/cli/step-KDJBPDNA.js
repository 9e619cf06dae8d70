import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-RFH72TJ2.js";import"./chunk-XPPDKCNV.js";import"./chunk-XSZYQMII.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-KDJBPDNA.js.map
