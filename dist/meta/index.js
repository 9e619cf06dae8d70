import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as r}from"../cli/chunk-FRNAHSV6.js";import"../cli/chunk-3GCJOTP7.js";import{y as o}from"../cli/chunk-KSQSBF7N.js";await o(r);
//# sourceMappingURL=index.js.map
