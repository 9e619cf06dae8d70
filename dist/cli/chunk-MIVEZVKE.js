import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{a as t}from"./chunk-7GYCBHVC.js";var s=/^[\s\x85\u180e\u200b\u2060\ufeff]*::/,u=/##\[/g,i=/\r\n|\r|\n/;function c(n){let r=n.includes("##[")?n.replace(u,"##\u200B["):n;return s.test(r)&&(r="> "+r),r}t(c,"inertLine");function f(n){return!n.includes("::")&&!n.includes("##[")?n:n.split(i).map(c).join(`
`)}t(f,"inertText");function E(n,r=""){for(let o of n){let e=o.charCodeAt(0);if((e<32||e>=127&&e<=159)&&!r.includes(o))return!0}return!1}t(E,"hasControlChars");export{f as a,E as b};
//# sourceMappingURL=chunk-MIVEZVKE.js.map
