import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-7IKFWDEV.js";import"../cli/chunk-VJ22Z6QJ.js";import{y as o}from"../cli/chunk-KSQSBF7N.js";await o(r);
//# sourceMappingURL=index.js.map
