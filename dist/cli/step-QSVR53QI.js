import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-DWB5HAZW.js";import{b as o,c as r}from"./chunk-FB7XVVDK.js";import"./chunk-PBOWSXL5.js";import"./chunk-HD2VFJLG.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-QSVR53QI.js.map
