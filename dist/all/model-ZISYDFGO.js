import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i}from"./chunk-7NEK57RN.js";import"./chunk-A6ZCJX7Y.js";import"./chunk-J5GE3ZCN.js";import"./chunk-UGGAYPNL.js";import"./chunk-RX7PPNCC.js";export{c as composeComplaint,a as configCommand,h as isExternal,f as isPlain,g as onDefaultNetwork,b as parseConfigOutput,d as readCompose,i as servicesInFileOrder,e as withSources};
