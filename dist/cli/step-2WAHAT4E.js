import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e}from"./chunk-7SXO4B5V.js";import"./chunk-PBOWSXL5.js";import"./chunk-HD2VFJLG.js";export{o as Inputs,r as Outputs,t as notify,p as planMessages,m as secretsOf,e as step};
//# sourceMappingURL=step-2WAHAT4E.js.map
