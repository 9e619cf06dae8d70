import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e}from"./chunk-UPAOXS5D.js";import"./chunk-YENCUEBS.js";import"./chunk-QNNG5I6I.js";export{o as Inputs,r as Outputs,t as bakeFiles,m as getInputs,p as jsonOutput,e as step};
//# sourceMappingURL=step-JVGBR5BB.js.map
