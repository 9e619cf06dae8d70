import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p}from"./chunk-BZX2HG54.js";import"./chunk-PBOWSXL5.js";import"./chunk-HD2VFJLG.js";export{o as Inputs,r as Outputs,m as State,p as step};
//# sourceMappingURL=step-XTC4VQMI.js.map
