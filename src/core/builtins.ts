import { createRequire } from 'node:module';
import type * as ChildProcess from 'node:child_process';
import type * as Crypto from 'node:crypto';
import type * as Http from 'node:http';

// Node built-ins that take milliseconds to load (node:http ~4 ms, node:child_process ~3 ms, node:crypto
// ~2.5 ms of CPU here), loaded when first used instead of at start-up: every run loads the runtime chunk
// (core, io, platform, docker: scripts/bundle-options.mjs), and a run that never spawns a process or
// probes a URL should not pay for them. Node caches each, so later calls cost nothing.
const load = createRequire(import.meta.url);

/** node:child_process, loaded on first use. */
export const childProcess = (): typeof ChildProcess => load('node:child_process') as typeof ChildProcess;
/** node:crypto, loaded on first use. */
export const crypto = (): typeof Crypto => load('node:crypto') as typeof Crypto;
/** node:http, loaded on first use. */
export const http = (): typeof Http => load('node:http') as typeof Http;
