import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{m as r}from"../cli/chunk-OHGOHU5S.js";import{F as o}from"../cli/chunk-JKVHZSHM.js";await o(r);
//# sourceMappingURL=index.js.map
