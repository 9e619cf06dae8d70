import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-XFMBZMXC.js";import"./chunk-HD2VFJLG.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-334BAH5S.js.map
