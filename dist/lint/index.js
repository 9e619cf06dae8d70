import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{g as r}from"../cli/chunk-HM5YWBRQ.js";import"../cli/chunk-I5AJHAAJ.js";import"../cli/chunk-JHBB2WFN.js";import{y as o}from"../cli/chunk-QNNG5I6I.js";await o(r);
//# sourceMappingURL=index.js.map
