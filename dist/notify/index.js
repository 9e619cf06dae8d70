import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as r}from"../cli/chunk-7SXO4B5V.js";import"../cli/chunk-PBOWSXL5.js";import{F as o}from"../cli/chunk-HD2VFJLG.js";await o(r);
//# sourceMappingURL=index.js.map
