import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{g as r}from"../cli/chunk-MCQ2MGAO.js";import"../cli/chunk-BUBHUOI5.js";import"../cli/chunk-2B64TEYV.js";import{y as o}from"../cli/chunk-KSQSBF7N.js";await o(r);
//# sourceMappingURL=index.js.map
