import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-R4XFAD4J.js";import{F as o}from"../cli/chunk-2KAQO5QS.js";await o(r);
//# sourceMappingURL=index.js.map
