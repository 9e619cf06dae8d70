import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as r}from"../cli/chunk-4Y5FSVWK.js";import"../cli/chunk-HQ4X7JIV.js";import{F as o}from"../cli/chunk-2KAQO5QS.js";await o(r);
//# sourceMappingURL=index.js.map
