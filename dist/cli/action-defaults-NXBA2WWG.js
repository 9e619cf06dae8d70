import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a}from"./chunk-2P6GIK5C.js";import{a as o,e as f}from"./chunk-7GYCBHVC.js";var r=f(a(),1);import{readFile as u}from"node:fs/promises";async function d(e){let s=(0,r.parse)(await u(e,"utf8")),n={};for(let[i,c]of Object.entries(s?.inputs??{})){let t=c.default;(typeof t=="string"||typeof t=="number"||typeof t=="boolean")&&(n[i]=String(t))}return n}o(d,"actionDefaults");export{d as actionDefaults};
//# sourceMappingURL=action-defaults-NXBA2WWG.js.map
