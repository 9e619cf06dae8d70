import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as f}from"./chunk-UMUCDAHG.js";import{a as c}from"./chunk-7GYCBHVC.js";import{spawn as $}from"node:child_process";var E=class extends Error{constructor(e,n){let l=(n.stderr.trim()||n.stdout.trim()).split(`
`).slice(-15).join(`
`),s=n.timedOut?"timed out":n.signal?`was killed (${n.signal})`:`exited ${n.code}`;super(`${e} ${s}${l?`:
${l}`:""}`);this.command=e;this.result=n;this.name="ExecError"}command;result;static{c(this,"ExecError")}};function k(o){let r="";return e=>{if(!o)return;r+=e;let n;for(;(n=r.indexOf(`
`))>=0;)o(r.slice(0,n).replace(/\r$/,"")),r=r.slice(n+1)}}c(k,"lineSplitter");function N(){return f().PATH??""}c(N,"searchPath");function P(o,r,e={}){let n=e.redact??(s=>s),l=n([o,...r].join(" "));return new Promise((s,p)=>{let i=$(o,r,{cwd:e.cwd,env:e.replaceEnv?{...e.env}:{...f(),...e.env},stdio:["pipe","pipe","pipe"],signal:e.signal}),u="",a="",m=!1,x=k(e.onStdout),v=k(e.onStderr),h=e.buffer??!0,w=`
`,S=`
`;i.stdout.setEncoding("utf8").on("data",t=>{h&&(u+=t),w=t.slice(-1),x(t)}),i.stderr.setEncoding("utf8").on("data",t=>{h&&(a+=t),S=t.slice(-1),v(t)});let g,T=e.timeoutMs===void 0?void 0:setTimeout(()=>{m=!0,i.kill("SIGTERM"),g=setTimeout(()=>i.kill("SIGKILL"),5e3)},e.timeoutMs);i.on("error",t=>{clearTimeout(T),clearTimeout(g);let d=t;p(d.code==="ENOENT"?new Error(`${o}: command not found`):new Error(n(d.message)))}),i.on("close",(t,d)=>{clearTimeout(T),clearTimeout(g),w!==`
`&&x(`
`),S!==`
`&&v(`
`);let b={code:t??128,signal:d,stdout:u,stderr:a,timedOut:m};if((e.check??!0)&&(t!==0||m)){let y={...b,stdout:n(u),stderr:n(a)};p(new E(l,y))}else s(b)}),i.stdin.on("error",()=>{}),i.stdin.end(e.input??"")})}c(P,"exec");export{E as a,N as b,P as c};
//# sourceMappingURL=chunk-VKJY37NY.js.map
