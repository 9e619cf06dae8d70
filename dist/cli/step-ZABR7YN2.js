import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,k as p,l as t,m as e}from"./chunk-AGTY3M4Z.js";import"./chunk-IGYXD4JE.js";export{o as Inputs,r as Outputs,t as bakeFiles,m as getInputs,p as jsonOutput,e as step};
//# sourceMappingURL=step-ZABR7YN2.js.map
