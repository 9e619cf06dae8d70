import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a}from"./chunk-UAC2H72K.js";import"./chunk-7GYCBHVC.js";export{a as Octokit};
//# sourceMappingURL=dist-src-WBF3XYSK.js.map
