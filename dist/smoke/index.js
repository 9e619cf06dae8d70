import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-3DNK2C3D.js";import"../cli/chunk-6FKMUBFX.js";import"../cli/chunk-2P7AIWVA.js";import{y as o}from"../cli/chunk-3IEQIFAT.js";await o(r);
//# sourceMappingURL=index.js.map
