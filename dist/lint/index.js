import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{g as r}from"../cli/chunk-XEL7RKAZ.js";import"../cli/chunk-Y3INGT2E.js";import{F as o}from"../cli/chunk-JKVHZSHM.js";await o(r);
//# sourceMappingURL=index.js.map
