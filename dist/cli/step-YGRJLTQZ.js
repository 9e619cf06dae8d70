import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,k as p,l as t,m as e}from"./chunk-5SY4GC2Z.js";import"./chunk-HD2VFJLG.js";export{o as Inputs,r as Outputs,t as bakeFiles,m as getInputs,p as jsonOutput,e as step};
//# sourceMappingURL=step-YGRJLTQZ.js.map
