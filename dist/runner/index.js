import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-GD53GU5E.js";import{F as o}from"../cli/chunk-MDLJXBUK.js";await o(r);
//# sourceMappingURL=index.js.map
