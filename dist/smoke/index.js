import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as r}from"../cli/chunk-JGJDA2OU.js";import"../cli/chunk-T4OWTJIJ.js";import"../cli/chunk-FX6HDNJ4.js";import{F as o}from"../cli/chunk-72TIBNV6.js";await o(r);
//# sourceMappingURL=index.js.map
