import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i}from"./chunk-TYLSWFLT.js";import"./chunk-WOKBTU6U.js";import"./chunk-L2WMHPZO.js";import"./chunk-XJL7OBRT.js";export{c as composeComplaint,a as configCommand,h as isExternal,f as isPlain,g as onDefaultNetwork,b as parseConfigOutput,d as readCompose,i as servicesInFileOrder,e as withSources};
