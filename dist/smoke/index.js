import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-MDL4C7CG.js";import"../cli/chunk-K444K6KI.js";import"../cli/chunk-AAYMZB7P.js";import{F as o}from"../cli/chunk-IGYXD4JE.js";await o(r);
//# sourceMappingURL=index.js.map
