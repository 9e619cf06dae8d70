import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{m as r}from"../cli/chunk-5SY4GC2Z.js";import{F as o}from"../cli/chunk-HD2VFJLG.js";await o(r);
//# sourceMappingURL=index.js.map
