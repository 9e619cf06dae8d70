import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-GJP4MAWO.js";import"./chunk-IGYXD4JE.js";export{o as Octokit};
//# sourceMappingURL=dist-src-WOA6A74P.js.map
