import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-MVTH4BM2.js";import"../cli/chunk-SMGYVIL6.js";import"../cli/chunk-HQ4X7JIV.js";import{F as o}from"../cli/chunk-2KAQO5QS.js";await o(r);
//# sourceMappingURL=index.js.map
