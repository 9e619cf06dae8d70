import { createRequire } from 'node:module';
import type * as ChildProcess from 'node:child_process';
import type * as Crypto from 'node:crypto';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Net from 'node:net';
import type * as Tls from 'node:tls';
import type * as WorkerThreads from 'node:worker_threads';

// Node built-ins that take milliseconds to load (CPU of an ES module importing only it, above an empty one,
// here: node:https ~7 ms, node:tls ~6.5, node:http ~4.5, node:crypto ~3.5, node:child_process ~3,
// node:net and node:worker_threads ~2), loaded when first used instead of at start-up: every run loads
// the runtime chunk (core, io, platform, docker: scripts/bundle-options.mjs) and its step's code, and a
// run that never spawns a process, probes a URL or hashes should not pay for them (a static import in a
// step costs every run of it, also one that stops at a bad input). Node caches each: later calls cost nothing.
const load = createRequire(import.meta.url);

/** node:child_process, loaded on first use. */
export const childProcess = (): typeof ChildProcess => load('node:child_process') as typeof ChildProcess;
/** node:crypto, loaded on first use. */
export const crypto = (): typeof Crypto => load('node:crypto') as typeof Crypto;
/** node:http, loaded on first use. */
export const http = (): typeof Http => load('node:http') as typeof Http;
/** node:https, loaded on first use. */
export const https = (): typeof Https => load('node:https') as typeof Https;
/** node:net, loaded on first use. */
export const net = (): typeof Net => load('node:net') as typeof Net;
/** node:tls, loaded on first use. */
export const tls = (): typeof Tls => load('node:tls') as typeof Tls;
/** node:worker_threads, loaded on first use. */
export const workerThreads = (): typeof WorkerThreads => load('node:worker_threads') as typeof WorkerThreads;
