import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as t,f as a}from"../cli/chunk-KPQ32D3P.js";import"../cli/chunk-MYMESIO4.js";import"../cli/chunk-MIVEZVKE.js";import"../cli/chunk-TCCDRCFW.js";import"../cli/chunk-66JDAJOU.js";import"../cli/chunk-UMUCDAHG.js";import"../cli/chunk-7GYCBHVC.js";await t(await a.meta());
//# sourceMappingURL=index.js.map
