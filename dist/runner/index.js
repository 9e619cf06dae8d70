import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-26YAOW6G.js";import"../cli/chunk-K24TAC7L.js";import{y as o}from"../cli/chunk-3IEQIFAT.js";await o(r);
//# sourceMappingURL=index.js.map
