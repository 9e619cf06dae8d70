import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-5UFTZ6R7.js";import"../cli/chunk-FIQJMX3U.js";import"../cli/chunk-CYKWECXE.js";import{F as o}from"../cli/chunk-MDLJXBUK.js";await o(r);
//# sourceMappingURL=index.js.map
