import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-ODJF5L3E.js";import"./chunk-2P6GIK5C.js";import"./chunk-VKJY37NY.js";import"./chunk-66JDAJOU.js";import"./chunk-UMUCDAHG.js";import"./chunk-7GYCBHVC.js";export{c as composeComplaint,a as configCommand,g as isExternal,f as onDefaultNetwork,b as parseConfigOutput,d as readCompose,h as servicesInFileOrder,e as withSources};
//# sourceMappingURL=model-CEQ7IIN5.js.map
