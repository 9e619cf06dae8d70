import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{A as i,B as n,C as p,F as m,G as s,o as e,x as r,ya as f,za as a}from"../cli/chunk-JKVHZSHM.js";var o=p(),c=(o.get("step")??"").trim(),t=await a(c);t?await m(t,void 0,s(o,r(t.iface),o.get("workflow-token"))):(new i(e()).error(`input "step": unknown step "${c}" (expected one of: ${Object.keys(f).join(", ")})`),process.exitCode=n.Failed);
//# sourceMappingURL=index.js.map
