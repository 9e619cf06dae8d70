import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{m as r}from"../cli/chunk-LABSBGTK.js";import{F as o}from"../cli/chunk-QEIH7CEF.js";await o(r);
//# sourceMappingURL=index.js.map
