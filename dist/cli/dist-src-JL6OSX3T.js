import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o}from"./chunk-MPEADYRZ.js";import"./chunk-HD2VFJLG.js";export{o as Octokit};
//# sourceMappingURL=dist-src-JL6OSX3T.js.map
