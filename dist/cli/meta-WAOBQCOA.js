import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{d as m,e as t,f as a,g as n,h as x,i,j as s,m as M}from"./chunk-OHGOHU5S.js";import{a as e}from"./chunk-JKVHZSHM.js";async function y(o,p,r={}){return t(o,p,r)}e(y,"computeMeta");export{x as commonContext,y as computeMeta,t as computeMetaSync,n as githubContext,a as githubEventContext,i as gitlabContext,s as metaContextFromEnv,m as sanitizeTag,M as step};
//# sourceMappingURL=meta-WAOBQCOA.js.map
