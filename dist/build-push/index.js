import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-7H567FRN.js";import{F as o}from"../cli/chunk-72TIBNV6.js";await o(r);
//# sourceMappingURL=index.js.map
