import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as r}from"../cli/chunk-F5C7YXNE.js";import"../cli/chunk-2B64TEYV.js";import{y as o}from"../cli/chunk-KSQSBF7N.js";await o(r);
//# sourceMappingURL=index.js.map
