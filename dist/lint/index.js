import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{g as r}from"../cli/chunk-QEW5MNFK.js";import"../cli/chunk-CYKWECXE.js";import{F as o}from"../cli/chunk-MDLJXBUK.js";await o(r);
//# sourceMappingURL=index.js.map
