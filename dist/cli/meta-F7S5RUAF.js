import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{b as o,c as r,d as m,e as p,f as t,g as e,h as f,i}from"./chunk-YENCUEBS.js";import"./chunk-QNNG5I6I.js";export{t as commonContext,i as computeMeta,r as computeMetaSync,p as githubContext,m as githubEventContext,e as gitlabContext,f as metaContextFromEnv,o as sanitizeTag};
//# sourceMappingURL=meta-F7S5RUAF.js.map
