import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
import{f as a}from"./chunk-NTRDAEXZ.js";import"./chunk-QW2SU6XN.js";import"./chunk-J5GE3ZCN.js";import"./chunk-UGGAYPNL.js";import"./chunk-RX7PPNCC.js";export{a as findCompose};
