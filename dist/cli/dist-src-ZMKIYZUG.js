import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-LVXQMX7J.js";import"./chunk-QEIH7CEF.js";export{o as Octokit};
//# sourceMappingURL=dist-src-ZMKIYZUG.js.map
