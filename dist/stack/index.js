import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-BSS7KVPO.js";import"../cli/chunk-FX6HDNJ4.js";import{F as o}from"../cli/chunk-72TIBNV6.js";await o(r);
//# sourceMappingURL=index.js.map
