import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as r}from"../cli/chunk-WZFTGEAN.js";import"../cli/chunk-AAYMZB7P.js";import{F as o}from"../cli/chunk-IGYXD4JE.js";await o(r);
//# sourceMappingURL=index.js.map
