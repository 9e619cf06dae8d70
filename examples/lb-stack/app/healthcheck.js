// Container healthcheck without curl or wget (node images ship neither everywhere).
'use strict';
const req = require('node:http').get(
  { host: '127.0.0.1', port: Number(process.env.PORT || 3000), path: '/healthz', timeout: 2000 },
  (res) => process.exit(res.statusCode === 200 ? 0 : 1),
);
req.on('error', () => process.exit(1));
req.on('timeout', () => process.exit(1));
