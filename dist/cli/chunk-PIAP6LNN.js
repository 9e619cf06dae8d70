import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as e}from"./chunk-7GYCBHVC.js";var l=Symbol("markdown"),c=class{constructor(n,r){this.text=r;if(n!==l)throw new Error("Markdown is made by safeMd`\u2026` and the helpers of platform/markdown")}text;static{e(this,"Markdown")}toString(){return this.text}},s=e(t=>new c(l,t),"trusted"),i=e(t=>t instanceof c?t.text:typeof t=="number"?String(t):u(t).text,"part"),d=/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g,p={"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"},g=/[\\`*_[\]|~$]|[&<>"]/g;function u(t){let n=t.replace(d," ").replace(g,r=>p[r]??`\\${r}`);return n=n.replace(/^(\s*)([#+\-=])(?=[#+\-=]*(\s|$))/,"$1\\$2").replace(/^(\s*\d+)([.)])(?=\s|$)/,"$1\\$2"),s(n)}e(u,"mdText");function f(t){let n=t.replace(d," "),r=Math.max(0,...(n.match(/`+/g)??[]).map(m=>m.length)),o="`".repeat(r+1),a=n.startsWith("`")||n.endsWith("`")||n===""?" ":"";return s(`${o}${a}${n}${a}${o}`)}e(f,"mdCode");function $(t,n){if(!/^[\w-]*$/.test(t))throw new Error(`not a code block language: ${t}`);let r=Math.max(0,...(n.match(/`{3,}|~{3,}/g)??[]).map(a=>a.length)),o="`".repeat(Math.max(3,r+1));return s(`${o}${t}
${n.replace(/\r\n?/g,`
`)}
${o}`)}e($,"mdFence");function x(t,...n){let r=t[0];return n.forEach((o,a)=>r+=i(o)+t[a+1]),s(r)}e(x,"safeMd");function w(t,n=`
`){return s(t.map(i).join(n))}e(w,"mdJoin");function h(t,n){let r=e(a=>i(a).replace(/(?<!\\)\|/g,"\\|"),"cell"),o=e(a=>`| ${a.map(r).join(" | ")} |`,"line");return s([o(t),`|${t.map(()=>"---|").join("")}`,...n.map(o)].join(`
`))}e(h,"mdTable");export{u as a,f as b,$ as c,x as d,w as e,h as f};
//# sourceMappingURL=chunk-PIAP6LNN.js.map
