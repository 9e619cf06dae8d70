import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{$ as e,W as o,X as r,Y as m,Z as p,_ as t,aa as f,ba as i,ca as x}from"./chunk-QNNG5I6I.js";export{r as COMPOSE_V1,m as COMPOSE_V2,f as compose,e as composeArgs,i as containersWithLabels,p as detectCompose,o as docker,t as findCompose,x as inspect};
//# sourceMappingURL=cli-NHDFHFEZ.js.map
