import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as r}from"../cli/chunk-UZTX3LAE.js";import"../cli/chunk-Y3INGT2E.js";import{F as o}from"../cli/chunk-JKVHZSHM.js";await o(r);
//# sourceMappingURL=index.js.map
