import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i}from"./chunk-7MJ223BT.js";import"./chunk-VKJY37NY.js";import"./chunk-UMUCDAHG.js";import"./chunk-7GYCBHVC.js";export{b as COMPOSE_V1,c as COMPOSE_V2,g as compose,f as composeArgs,h as containersWithLabels,d as detectCompose,a as docker,e as findCompose,i as inspect};
//# sourceMappingURL=cli-TVSDF3WO.js.map
