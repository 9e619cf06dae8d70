import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-OBQRRTQ4.js";import{F as o}from"../cli/chunk-2KAQO5QS.js";await o(r);
//# sourceMappingURL=index.js.map
