import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,k as p,l as t,m as e}from"./chunk-OHGOHU5S.js";import"./chunk-JKVHZSHM.js";export{o as Inputs,r as Outputs,t as bakeFiles,m as getInputs,p as jsonOutput,e as step};
//# sourceMappingURL=step-LHCWQYFL.js.map
