import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-XDBAWFFX.js";import{F as o}from"../cli/chunk-IGYXD4JE.js";await o(r);
//# sourceMappingURL=index.js.map
