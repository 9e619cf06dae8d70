import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as d}from"./chunk-7GYCBHVC.js";import{spawn as y}from"node:child_process";var g=class extends Error{constructor(e,n){let c=(n.stderr.trim()||n.stdout.trim()).split(`
`).slice(-15).join(`
`),s=n.timedOut?"timed out":n.signal?`was killed (${n.signal})`:`exited ${n.code}`;super(`${e} ${s}${c?`:
${c}`:""}`);this.command=e;this.result=n;this.name="ExecError"}command;result;static{d(this,"ExecError")}};function h(o){let r="";return e=>{if(!o)return;r+=e;let n;for(;(n=r.indexOf(`
`))>=0;)o(r.slice(0,n).replace(/\r$/,"")),r=r.slice(n+1)}}d(h,"lineSplitter");function O(o,r,e={}){let n=e.redact??(s=>s),c=n([o,...r].join(" "));return new Promise((s,E)=>{let i=y(o,r,{cwd:e.cwd,env:e.replaceEnv?{...e.env}:{...process.env,...e.env},stdio:["pipe","pipe","pipe"],signal:e.signal}),u="",a="",m=!1,p=h(e.onStdout),x=h(e.onStderr),v=e.buffer??!0,w=`
`,S=`
`;i.stdout.setEncoding("utf8").on("data",t=>{v&&(u+=t),w=t.slice(-1),p(t)}),i.stderr.setEncoding("utf8").on("data",t=>{v&&(a+=t),S=t.slice(-1),x(t)});let f,b=e.timeoutMs===void 0?void 0:setTimeout(()=>{m=!0,i.kill("SIGTERM"),f=setTimeout(()=>i.kill("SIGKILL"),5e3)},e.timeoutMs);i.on("error",t=>{clearTimeout(b),clearTimeout(f);let l=t;E(l.code==="ENOENT"?new Error(`${o}: command not found`):new Error(n(l.message)))}),i.on("close",(t,l)=>{clearTimeout(b),clearTimeout(f),w!==`
`&&p(`
`),S!==`
`&&x(`
`);let T={code:t??128,signal:l,stdout:u,stderr:a,timedOut:m};if((e.check??!0)&&(t!==0||m)){let k={...T,stdout:n(u),stderr:n(a)};E(new g(c,k))}else s(T)}),i.stdin.on("error",()=>{}),i.stdin.end(e.input??"")})}d(O,"exec");export{g as a,O as b};
//# sourceMappingURL=chunk-3QJ66RK7.js.map
