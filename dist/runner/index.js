import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-DF5FEP27.js";import{F as o}from"../cli/chunk-6NMJZZSJ.js";await o(r);
//# sourceMappingURL=index.js.map
