import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-K2FDGRO7.js";import"./chunk-6NMJZZSJ.js";export{o as Octokit};
//# sourceMappingURL=dist-src-TQK46HZ3.js.map
