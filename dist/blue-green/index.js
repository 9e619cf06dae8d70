import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as r}from"../cli/chunk-MEPDDP4A.js";import"../cli/chunk-JHBB2WFN.js";import{y as o}from"../cli/chunk-QNNG5I6I.js";await o(r);
//# sourceMappingURL=index.js.map
