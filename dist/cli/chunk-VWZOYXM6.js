import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as n}from"./chunk-7GYCBHVC.js";function a(t){return{name:t.name,summary:t.summary,inputNames:Object.values(t.inputs),outputNames:Object.values(t.outputs),hasPost:t.post!==void 0,cli:t.cli??{},async run(s,e,r){let i=t.getInputs(s);r==="main"?await t.main(i,e):t.post&&await t.post(i,e)}}}n(a,"defineStep");export{a};
//# sourceMappingURL=chunk-VWZOYXM6.js.map
