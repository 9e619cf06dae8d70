import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-UZTX3LAE.js";import"./chunk-Y3INGT2E.js";import"./chunk-JKVHZSHM.js";export{o as Inputs,r as Outputs,m as getInputs,p as runBlueGreen,t as step};
//# sourceMappingURL=step-7EJ6J37Q.js.map
