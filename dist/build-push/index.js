import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-KXDZZGBH.js";import"../cli/chunk-4L5W2RX4.js";import{y as o}from"../cli/chunk-QNNG5I6I.js";await o(r);
//# sourceMappingURL=index.js.map
