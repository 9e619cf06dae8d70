import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-26YNWUEJ.js";import"./chunk-JKVHZSHM.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-KM6M52G2.js.map
