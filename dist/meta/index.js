import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as r}from"../cli/chunk-SA44JZES.js";import"../cli/chunk-VBF67MZ5.js";import{y as o}from"../cli/chunk-3IEQIFAT.js";await o(r);
//# sourceMappingURL=index.js.map
