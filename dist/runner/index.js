import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{c as r}from"../cli/chunk-XFMBZMXC.js";import{F as o}from"../cli/chunk-HD2VFJLG.js";await o(r);
//# sourceMappingURL=index.js.map
