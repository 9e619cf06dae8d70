import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e,g as f,h as i,i as x}from"./chunk-I5AJHAAJ.js";import"./chunk-JHBB2WFN.js";import"./chunk-QNNG5I6I.js";export{m as composeComplaint,o as configCommand,i as isExternal,e as isPlain,f as onDefaultNetwork,r as parseConfigOutput,p as readCompose,x as servicesInFileOrder,t as withSources};
//# sourceMappingURL=model-AMBGPNLL.js.map
