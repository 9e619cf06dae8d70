// A tiny web app for the shipkit example stack. It answers with its hostname, version and colour and
// echoes the request headers it received, so a smoke test can see which replica answered and what the
// load balancer forwarded. No dependencies: runs on node:22-alpine and on Debian's Node 18.
'use strict';
const http = require('node:http');
const os = require('node:os');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
const hostname = os.hostname();
const version = process.env.APP_VERSION || '0.0.0';
const colour = process.env.APP_COLOUR || '';
let shuttingDown = false;

const server = http.createServer((req, res) => {
  const headers = {
    'X-Served-By': hostname,
    'X-App-Version': version,
    'Cache-Control': 'no-store',
  };
  if (colour) headers['X-Colour'] = colour;
  // Tell keep-alive clients to reconnect elsewhere once we are draining.
  if (shuttingDown) headers.Connection = 'close';
  if (req.url === '/healthz') {
    res.writeHead(shuttingDown ? 503 : 200, { ...headers, 'Content-Type': 'text/plain' });
    res.end(shuttingDown ? 'draining\n' : 'ok\n');
    return;
  }
  const body = JSON.stringify({ hostname, version, colour, method: req.method, url: req.url, headers: req.headers });
  res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
  res.end(body + '\n');
});

server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  console.log(`app ${version}${colour ? ` (${colour})` : ''} listening on ${host}:${port} as ${hostname}`);
});

// Graceful stop: finish in-flight requests, close idle keep-alive sockets, then exit.
function stop(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`${signal} received: draining`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 8_000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
