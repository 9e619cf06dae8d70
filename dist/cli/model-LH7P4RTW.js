import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{i as o,j as r,k as m,l as p,m as t,n as e,o as f,p as i,q as x}from"./chunk-Y3INGT2E.js";import"./chunk-JKVHZSHM.js";export{m as composeComplaint,o as configCommand,i as isExternal,e as isPlain,f as onDefaultNetwork,r as parseConfigOutput,p as readCompose,x as servicesInFileOrder,t as withSources};
//# sourceMappingURL=model-LH7P4RTW.js.map
