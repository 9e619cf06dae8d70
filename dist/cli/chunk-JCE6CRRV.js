import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a}from"./chunk-7GYCBHVC.js";function c(e,r){return new Promise((i,t)=>{if(r?.aborted)return t(r.reason);let n=setTimeout(()=>{r?.removeEventListener("abort",o),i()},e),o=a(()=>{clearTimeout(n),t(r.reason)},"onAbort");r?.addEventListener("abort",o,{once:!0})})}a(c,"sleep");async function h(e,r,i){let t=new Array(e.length),n=[],o=0,m=a(async()=>{for(;o<e.length;){let s=o++;try{t[s]=await i(e[s])}catch(u){n.push(u)}}},"worker");if(await Promise.all(Array.from({length:Math.max(1,Math.min(r,e.length))},m)),n.length)throw n[0];return t}a(h,"mapLimit");export{c as a,h as b};
//# sourceMappingURL=chunk-JCE6CRRV.js.map
