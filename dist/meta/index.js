import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{m as r}from"../cli/chunk-OOTDJDL7.js";import{F as o}from"../cli/chunk-72TIBNV6.js";await o(r);
//# sourceMappingURL=index.js.map
