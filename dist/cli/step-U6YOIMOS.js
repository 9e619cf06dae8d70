import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-AALGXCLX.js";import"./chunk-72TIBNV6.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-U6YOIMOS.js.map
