import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as r}from"../cli/chunk-T7QNN5HY.js";import{F as o}from"../cli/chunk-HD2VFJLG.js";await o(r);
//# sourceMappingURL=index.js.map
