import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a}from"./chunk-ZYM4DELI.js";import"./chunk-RX7PPNCC.js";export{a as Octokit};
