import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-TDS3RNXS.js";import{F as o}from"../cli/chunk-QEIH7CEF.js";await o(r);
//# sourceMappingURL=index.js.map
