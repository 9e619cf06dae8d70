import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as r}from"../cli/chunk-6HB2KDEL.js";import"../cli/chunk-JHBB2WFN.js";import{y as o}from"../cli/chunk-QNNG5I6I.js";await o(r);
//# sourceMappingURL=index.js.map
