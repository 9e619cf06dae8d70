import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{b as a,c as b,d as c,e as d,f as e,g as f,h as g,i as h}from"./chunk-CW22DJC2.js";import"./chunk-6PPNJGVR.js";import"./chunk-UGGAYPNL.js";import"./chunk-RX7PPNCC.js";export{e as commonContext,h as computeMeta,b as computeMetaSync,d as githubContext,c as githubEventContext,f as gitlabContext,g as metaContextFromEnv,a as sanitizeTag};
