import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-5NHZWSYD.js";import"../cli/chunk-L5LDYSP7.js";import"../cli/chunk-2P7AIWVA.js";import{y as o}from"../cli/chunk-3IEQIFAT.js";await o(r);
//# sourceMappingURL=index.js.map
