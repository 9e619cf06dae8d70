import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as n}from"./chunk-7GYCBHVC.js";import{randomBytes as a}from"node:crypto";var s=/^[a-z0-9][a-z0-9_-]*$/;function p(t){return t.toLowerCase().replace(/[^a-z0-9_-]+/g,"-").replace(/-{2,}/g,"-").replace(/^[-_]+|[-_]+$/g,"")}n(p,"sanitize");function g(t,r,o=()=>a(4).toString("hex")){let e;t.ci==="github"?e=[r,t.runId,t.attempt,t.jobName??""]:t.ci==="gitlab"?e=[r,t.runId,t.attempt]:e=[r,"local",o()];let i=e.map(p).filter(Boolean).join("-").slice(0,63).replace(/[-_]+$/,"");return s.test(i)?i:`shipkit-${o()}`}n(g,"projectName");export{s as a,g as b};
//# sourceMappingURL=chunk-UCB5W26E.js.map
