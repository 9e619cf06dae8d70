import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as r}from"../cli/chunk-YEWVERST.js";import"../cli/chunk-CYKWECXE.js";import{F as o}from"../cli/chunk-MDLJXBUK.js";await o(r);
//# sourceMappingURL=index.js.map
