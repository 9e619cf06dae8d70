import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t,f as e}from"./chunk-52UZ74I2.js";import"./chunk-K3YQS2ZP.js";import"./chunk-QEIH7CEF.js";export{o as Inputs,r as Outputs,t as notify,p as planMessages,m as secretsOf,e as step};
//# sourceMappingURL=step-7OG3Y65Q.js.map
