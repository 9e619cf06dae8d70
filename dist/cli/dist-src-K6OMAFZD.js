import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-URATFYKL.js";import"./chunk-72TIBNV6.js";export{o as Octokit};
//# sourceMappingURL=dist-src-K6OMAFZD.js.map
