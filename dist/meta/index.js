import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{m as r}from"../cli/chunk-3PNMI4DH.js";import{F as o}from"../cli/chunk-6NMJZZSJ.js";await o(r);
//# sourceMappingURL=index.js.map
