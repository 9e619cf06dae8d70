import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as r}from"../cli/chunk-TBGVEPD2.js";import"../cli/chunk-AAYMZB7P.js";import{F as o}from"../cli/chunk-IGYXD4JE.js";await o(r);
//# sourceMappingURL=index.js.map
