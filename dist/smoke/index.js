import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-5UJWEOQC.js";import"../cli/chunk-52RZJW65.js";import"../cli/chunk-M45Y5VX5.js";import{F as o}from"../cli/chunk-6NMJZZSJ.js";await o(r);
//# sourceMappingURL=index.js.map
