import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as r}from"../cli/chunk-DMA7IMK4.js";import"../cli/chunk-4WFWTV5X.js";import{y as o}from"../cli/chunk-XSZYQMII.js";await o(r);
//# sourceMappingURL=index.js.map
