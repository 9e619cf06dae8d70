import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as i,l as u,m as g}from"./chunk-JKVHZSHM.js";function c(n,e,r,o,s,a){let t=s(`${n} API: ${e} failed${r?` (HTTP ${r})`:""}: ${o.trim()||"no message"}`);return r===401||r===403?new u(`${t} \u2014 check the token's scopes`,{field:`input "${a}"`}):r===404||r===422?new u(t):new g(t)}i(c,"apiError");function f(n,e,r,o){return async(s,a)=>{try{return await a()}catch(t){let{status:m,text:p}=o(t);throw c(n,s,m,p,r,e)}}}i(f,"apiCaller");async function b(n){try{return await n(),!0}catch(e){if(/\(HTTP 404\)/.test(e.message))return!1;throw e}}i(b,"removed");export{f as a,b};
//# sourceMappingURL=chunk-JWZ4SCPP.js.map
