import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-7CKCUJDQ.js";import"../cli/chunk-BJIQ764G.js";import"../cli/chunk-2B64TEYV.js";import{y as o}from"../cli/chunk-KSQSBF7N.js";await o(r);
//# sourceMappingURL=index.js.map
