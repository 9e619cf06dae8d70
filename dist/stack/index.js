import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-BZX2HG54.js";import"../cli/chunk-PBOWSXL5.js";import{F as o}from"../cli/chunk-HD2VFJLG.js";await o(r);
//# sourceMappingURL=index.js.map
