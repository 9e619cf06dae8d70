import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-IPJNEJ3G.js";import{F as o}from"../cli/chunk-IGYXD4JE.js";await o(r);
//# sourceMappingURL=index.js.map
