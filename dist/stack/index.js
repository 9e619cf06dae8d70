import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-A2RTIEPU.js";import"../cli/chunk-I5AJHAAJ.js";import"../cli/chunk-JHBB2WFN.js";import{y as o}from"../cli/chunk-QNNG5I6I.js";await o(r);
//# sourceMappingURL=index.js.map
