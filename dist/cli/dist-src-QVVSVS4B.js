import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-CB7ZBIB4.js";import"./chunk-2KAQO5QS.js";export{o as Octokit};
//# sourceMappingURL=dist-src-QVVSVS4B.js.map
