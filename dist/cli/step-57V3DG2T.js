import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-XBWE2GOI.js";import"./chunk-PBOWSXL5.js";import"./chunk-HD2VFJLG.js";export{o as Inputs,r as Outputs,m as getInputs,p as runBlueGreen,t as step};
//# sourceMappingURL=step-57V3DG2T.js.map
