import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{e as i,f as o}from"../cli/chunk-KPQ32D3P.js";import"../cli/chunk-MYMESIO4.js";import"../cli/chunk-MIVEZVKE.js";import"../cli/chunk-TCCDRCFW.js";import"../cli/chunk-66JDAJOU.js";import"../cli/chunk-UMUCDAHG.js";import"../cli/chunk-7GYCBHVC.js";await i(await o["build-push"]());
//# sourceMappingURL=index.js.map
