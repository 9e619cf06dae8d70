import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-3Q2ZHN74.js";import"../cli/chunk-Y3INGT2E.js";import{F as o}from"../cli/chunk-JKVHZSHM.js";await o(r);
//# sourceMappingURL=index.js.map
