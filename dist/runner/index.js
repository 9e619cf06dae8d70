import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-AALGXCLX.js";import{F as o}from"../cli/chunk-72TIBNV6.js";await o(r);
//# sourceMappingURL=index.js.map
