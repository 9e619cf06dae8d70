import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{g as r}from"../cli/chunk-AIF56PBL.js";import"../cli/chunk-DS7JJNFC.js";import"../cli/chunk-2CKPOU4S.js";import{y as o}from"../cli/chunk-XSZYQMII.js";await o(r);
//# sourceMappingURL=index.js.map
