#!/usr/bin/env node
// A local Slack-compatible receiver: answers chat.postMessage, chat.update and incoming webhooks the
// way Slack documents them, checks every payload against the contract (scripts/slack-contract.mjs),
// and prints each accepted message's headline. Used by the notify tests, the benchmark and the demo.
//
//   node scripts/slack-receiver.mjs [--port 0] [--rate <per second per channel>] [--token xoxb-…]
//
// API base URL: http://127.0.0.1:<port>/api — webhook: http://127.0.0.1:<port>/services/T0LOCAL/B0LOCAL/<secret>
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { checkMessage, headline } from './slack-contract.mjs';

const DEFAULT_CHANNELS = { deploys: 'C0DEPLOYS01', general: 'C0GENERAL01' };
export const WEBHOOK_PATH = '/services/T0LOCAL/B0LOCAL/l0calWebhookSecret000000';

/**
 * Starts the receiver. Options: `port` (0 = any), `token` (the only accepted token; default any
 * xoxb-/xoxp- token), `rate` (messages per second per channel before 429), `channels` (name → ID),
 * `print` (line printer, default none). Returns the server state and `close()`.
 */
export async function startSlackReceiver(options = {}) {
  const channels = { ...DEFAULT_CHANNELS, ...options.channels };
  const ids = new Set(Object.values(channels));
  const print = options.print ?? (() => {});
  const state = {
    /** Accepted messages by `${channel}/${ts}`, with their update history. */
    messages: new Map(),
    /** Every accepted post/update/webhook in arrival order. */
    log: [],
    /** Every request: method, HTTP status, Slack error (if any). */
    requests: [],
    /** Scripted answers consumed one per request: `{ status, error, retryAfter, body }`. */
    faults: [],
    lastAccepted: new Map(),
  };
  let seq = 0;
  // Real-looking timestamps (seconds.micro), unique per receiver thanks to the sequence number.
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  const rateLimited = (channel) => {
    if (!options.rate) return 0;
    const interval = 1000 / options.rate;
    const last = state.lastAccepted.get(channel);
    const now = Date.now();
    if (last !== undefined && now - last < interval) return interval - (now - last);
    state.lastAccepted.set(channel, now);
    return 0;
  };

  function accept(kind, channel, body, ts) {
    const entry = {
      kind,
      channel,
      ts,
      thread_ts: body.thread_ts,
      text: body.text,
      headline: headline(body),
      body,
    };
    state.log.push(entry);
    const where = body.thread_ts ? `  ↳ reply in thread ${body.thread_ts}` : `[${kind}] ${channel} ts=${ts}`;
    print(`${where}: ${entry.headline}`);
    return entry;
  }

  function api(method, req, body, headers) {
    const auth = headers.authorization;
    if (!auth) return { error: 'not_authed' };
    const token = /^Bearer (xox[bp]-[\w-]+)$/.exec(auth)?.[1];
    if (!token || (options.token && token !== options.token)) return { error: 'invalid_auth' };
    if (!/^application\/json/.test(headers['content-type'] ?? '')) return { error: 'invalid_form_data' };
    if (body === undefined) return { error: 'invalid_json' };
    if (method !== 'chat.postMessage' && method !== 'chat.update')
      return { status: 404, error: 'unknown_method' };
    const name = String(body.channel ?? '').replace(/^#/, '');
    const channel = ids.has(name) ? name : method === 'chat.postMessage' ? channels[name] : undefined;
    if (!channel) return { error: 'channel_not_found' };
    const problem = checkMessage(body);
    if (problem) return { error: problem.error, response_metadata: { messages: problem.messages } };
    const wait = rateLimited(channel);
    if (wait) return { status: 429, error: 'ratelimited', retryAfter: Math.max(1, Math.ceil(wait / 1000)) };
    if (method === 'chat.update') {
      const msg = state.messages.get(`${channel}/${body.ts}`);
      if (!msg) return { error: 'message_not_found' };
      msg.history.push(structuredClone(msg.current));
      // Fields left out keep their previous value, as Slack documents for chat.update.
      msg.current = { ...msg.current, ...body };
      accept(method, channel, body, body.ts);
      return { ok: true, channel, ts: body.ts, text: body.text, message: msg.current };
    }
    // Stricter than documented (Slack's answer to an unknown thread_ts is not in its docs): refuse it.
    if (body.thread_ts && !state.messages.has(`${channel}/${body.thread_ts}`))
      return { error: 'thread_not_found' };
    const ts = nextTs();
    state.messages.set(`${channel}/${ts}`, { channel, ts, current: body, history: [], replies: [] });
    if (body.thread_ts) state.messages.get(`${channel}/${body.thread_ts}`).replies.push(ts);
    accept(method, channel, body, ts);
    return { ok: true, channel, ts, message: body };
  }

  function webhook(path, body, headers) {
    if (path !== WEBHOOK_PATH) return { status: 404, text: 'no_service' };
    if (!/^application\/json/.test(headers['content-type'] ?? '') || body === undefined)
      return { status: 400, text: 'invalid_payload' };
    const problem = checkMessage(body);
    if (problem) return { status: problem.error === 'no_text' ? 400 : 400, text: problem.error };
    const wait = rateLimited(DEFAULT_CHANNELS.deploys);
    if (wait) return { status: 429, text: 'rate_limited', retryAfter: Math.max(1, Math.ceil(wait / 1000)) };
    accept('webhook', DEFAULT_CHANNELS.deploys, body, nextTs());
    return { status: 200, text: 'ok' };
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '').split('?')[0];
      const isApi = path.startsWith('/api/');
      const fault = state.faults.shift();
      if (fault?.delayMs) {
        // A hung request: record it, answer nothing, drop the connection later.
        state.requests.push({
          path: isApi ? path : '/services/…',
          status: 0,
          error: 'no_response',
          headers: req.headers,
          body,
        });
        return void setTimeout(() => res.destroy(), fault.delayMs);
      }
      let answer;
      if (fault)
        answer = {
          status: fault.status ?? 200,
          error: fault.error,
          retryAfter: fault.retryAfter,
          text: fault.error ?? fault.body,
        };
      else if (req.method !== 'POST')
        answer = { status: 405, error: 'method_not_allowed', text: 'invalid_method' };
      else answer = isApi ? api(path.slice(5), req, body, req.headers) : webhook(path, body, req.headers);
      const status = answer.status ?? 200;
      state.requests.push({
        path: isApi ? path : '/services/…',
        status,
        error: answer.ok ? undefined : (answer.error ?? (answer.text === 'ok' ? undefined : answer.text)),
        headers: req.headers,
        body,
      });
      if (answer.retryAfter !== undefined) res.setHeader('Retry-After', String(answer.retryAfter));
      if (isApi) {
        const { status: _s, retryAfter: _r, text: _t, ...json } = answer;
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(
          JSON.stringify(
            answer.ok
              ? json
              : {
                  ok: false,
                  error: answer.error,
                  ...(json.response_metadata ? { response_metadata: json.response_metadata } : {}),
                },
          ),
        );
      } else {
        res.writeHead(status, { 'Content-Type': 'text/html' });
        res.end(answer.text ?? answer.error ?? '');
      }
    });
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;
  return {
    ...state,
    state,
    url,
    apiUrl: `${url}/api`,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    channels,
    /** Queues scripted answers for the next requests (e.g. `{ status: 429, retryAfter: 1 }`). */
    failNext: (...faults) => state.faults.push(...faults),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function flag(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const receiver = await startSlackReceiver({
    port: Number(flag(args, '--port', '0')),
    rate: flag(args, '--rate') ? Number(flag(args, '--rate')) : undefined,
    token: flag(args, '--token'),
    print: (line) => process.stdout.write(`slack-receiver ${line}\n`),
  });
  process.stdout.write(
    `slack-receiver listening on ${receiver.url} (api: ${receiver.apiUrl}, webhook: ${receiver.webhookUrl})\n`,
  );
  const stop = () => void receiver.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
