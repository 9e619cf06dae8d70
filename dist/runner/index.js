import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-RFH72TJ2.js";import"../cli/chunk-XPPDKCNV.js";import{y as o}from"../cli/chunk-XSZYQMII.js";await o(r);
//# sourceMappingURL=index.js.map
