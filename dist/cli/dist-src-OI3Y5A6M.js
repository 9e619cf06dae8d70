import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-3XIIDECC.js";import"./chunk-QNNG5I6I.js";export{o as Octokit};
//# sourceMappingURL=dist-src-OI3Y5A6M.js.map
