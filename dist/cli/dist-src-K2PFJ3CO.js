import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-ZK2QZN6Q.js";import"./chunk-JKVHZSHM.js";export{o as Octokit};
//# sourceMappingURL=dist-src-K2PFJ3CO.js.map
