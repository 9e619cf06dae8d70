import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-K24TAC7L.js";import"./chunk-3IEQIFAT.js";export{o as Octokit};
//# sourceMappingURL=dist-src-77LEZAH6.js.map
