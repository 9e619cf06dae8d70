import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as r}from"../cli/chunk-P6CRIKQO.js";import"../cli/chunk-HQ4X7JIV.js";import{F as o}from"../cli/chunk-2KAQO5QS.js";await o(r);
//# sourceMappingURL=index.js.map
