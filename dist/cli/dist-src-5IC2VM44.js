import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-VJ22Z6QJ.js";import"./chunk-KSQSBF7N.js";export{o as Octokit};
//# sourceMappingURL=dist-src-5IC2VM44.js.map
