import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{b as a,c as b,d as c,e as d,f as e,g as f,h as g,i as h}from"./chunk-3RYKQRYN.js";import"./chunk-UUPYAFNM.js";import"./chunk-66JDAJOU.js";import"./chunk-UMUCDAHG.js";import"./chunk-7GYCBHVC.js";export{e as commonContext,h as computeMeta,b as computeMetaSync,d as githubContext,c as githubEventContext,f as gitlabContext,g as metaContextFromEnv,a as sanitizeTag};
//# sourceMappingURL=meta-ARGHEYKU.js.map
