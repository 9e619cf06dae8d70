import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-HT7JODAS.js";import"./chunk-WOKBTU6U.js";import"./chunk-L2WMHPZO.js";import"./chunk-XJL7OBRT.js";export{c as composeComplaint,a as configCommand,g as isExternal,f as onDefaultNetwork,b as parseConfigOutput,d as readCompose,h as servicesInFileOrder,e as withSources};
