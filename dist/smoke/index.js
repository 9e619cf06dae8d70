import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-4HYLS7P7.js";import"../cli/chunk-FINBAUEJ.js";import"../cli/chunk-K3YQS2ZP.js";import{F as o}from"../cli/chunk-QEIH7CEF.js";await o(r);
//# sourceMappingURL=index.js.map
