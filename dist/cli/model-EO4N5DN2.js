import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i}from"./chunk-JUHPHIV3.js";import"./chunk-2P6GIK5C.js";import"./chunk-VKJY37NY.js";import"./chunk-66JDAJOU.js";import"./chunk-UMUCDAHG.js";import"./chunk-7GYCBHVC.js";export{c as composeComplaint,a as configCommand,h as isExternal,f as isPlain,g as onDefaultNetwork,b as parseConfigOutput,d as readCompose,i as servicesInFileOrder,e as withSources};
//# sourceMappingURL=model-EO4N5DN2.js.map
