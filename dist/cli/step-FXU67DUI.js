import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as o,b as r,c as m}from"./chunk-7IKFWDEV.js";import"./chunk-VJ22Z6QJ.js";import"./chunk-KSQSBF7N.js";export{o as Inputs,r as Outputs,m as step};
//# sourceMappingURL=step-FXU67DUI.js.map
