import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-JGJDA2OU.js";import{b as o,c as r}from"./chunk-T4OWTJIJ.js";import"./chunk-FX6HDNJ4.js";import"./chunk-72TIBNV6.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-LUXHFPDI.js.map
