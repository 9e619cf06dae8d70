import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-M2ZWMFQO.js";import"../cli/chunk-V3UY5G73.js";import"../cli/chunk-Y3INGT2E.js";import{F as o}from"../cli/chunk-JKVHZSHM.js";await o(r);
//# sourceMappingURL=index.js.map
