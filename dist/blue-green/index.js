import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as r}from"../cli/chunk-Y7JAY2PF.js";import"../cli/chunk-CYKWECXE.js";import{F as o}from"../cli/chunk-MDLJXBUK.js";await o(r);
//# sourceMappingURL=index.js.map
