import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as m}from"./chunk-5UFTZ6R7.js";import{b as o,c as r}from"./chunk-FIQJMX3U.js";import"./chunk-CYKWECXE.js";import"./chunk-MDLJXBUK.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-C2HMPV5R.js.map
