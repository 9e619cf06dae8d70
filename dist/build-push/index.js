import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-Z3Y6A4OP.js";import{F as o}from"../cli/chunk-QEIH7CEF.js";await o(r);
//# sourceMappingURL=index.js.map
