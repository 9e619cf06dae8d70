import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-VYKXTIFR.js";import"./chunk-MDLJXBUK.js";export{o as Octokit};
//# sourceMappingURL=dist-src-NHMSHLAU.js.map
