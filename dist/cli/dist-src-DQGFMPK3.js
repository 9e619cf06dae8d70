import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-XPPDKCNV.js";import"./chunk-XSZYQMII.js";export{o as Octokit};
//# sourceMappingURL=dist-src-DQGFMPK3.js.map
