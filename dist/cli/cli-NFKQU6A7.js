import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{ca as o,da as r,ea as m,fa as p,ga as t,ha as e,ia as f,ja as i,ka as x}from"./chunk-JKVHZSHM.js";export{r as COMPOSE_V1,m as COMPOSE_V2,f as compose,e as composeArgs,i as containersWithLabels,p as detectCompose,o as docker,t as findCompose,x as inspect};
//# sourceMappingURL=cli-NFKQU6A7.js.map
