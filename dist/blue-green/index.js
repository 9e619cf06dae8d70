import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as r}from"../cli/chunk-2GASJFQC.js";import"../cli/chunk-M45Y5VX5.js";import{F as o}from"../cli/chunk-6NMJZZSJ.js";await o(r);
//# sourceMappingURL=index.js.map
