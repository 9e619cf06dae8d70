import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from '../../../src/lint/formats/index.js';
import { lintStack } from '../../../src/lint/stack/index.js';
import { missingCommand } from '../../helpers/host.js';
import { check, hits, OPTIONS, project } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const proj = (files: Record<string, string>) => {
  const d = project(files);
  made.push(d);
  return d;
};

const APP = `  app:
    image: app:1
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:3000/healthz"]
`;
const HEADERS =
  'proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme;';
/** An nginx conf.d snippet with nothing to find: `app` resolved per request through Docker's DNS. */
const RESOLVING = `resolver 127.0.0.11 valid=5s;\nserver { listen 8080; location / { set $u app; proxy_pass http://$u:3000; ${HEADERS} } }\n`;
/** An nginx LB (conf.d snippet mounted) in front of `app`, with extra services. */
function nginxStack(conf: string, more = '', files: Record<string, string> = {}) {
  return proj({
    'compose.yml': `services:\n${APP}${more}  lb:\n    image: nginx:alpine\n    ports: ["8080:8080"]\n    volumes:\n      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro\n`,
    'nginx/default.conf': conf,
    ...files,
  });
}
function haproxyStack(cfg: string, appExtra = '') {
  return proj({
    'compose.yml': `services:\n${APP}${appExtra}  lb:\n    image: haproxy:lts\n    ports: ["8080:8080"]\n    volumes:\n      - ./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro\n`,
    'haproxy.cfg': `defaults\n    mode http\nresolvers docker\n    nameserver dns 127.0.0.11:53\nfrontend web\n    bind :8080\n    default_backend app\nbackend app\n    option httpchk GET /healthz\n${cfg}`,
  });
}

describe('no false positives on what is right', () => {
  it('proxy_pass to a sidecar on 127.0.0.1 is not a Docker service (no SK2001, no SK1001)', () => {
    const d = nginxStack(
      `server { listen 8080; location / { proxy_pass http://127.0.0.1:9000; ${HEADERS} } }\n`,
    );
    expect(hits(check(d))).toEqual([]);
  });
  it('resolver 127.0.0.11 valid=10s and a variable in proxy_pass', () => {
    const d = nginxStack(
      `resolver 127.0.0.11 valid=10s;\nserver { listen 8080; location / { set $u app; proxy_pass http://$u:3000; ${HEADERS} } }\n`,
    );
    expect(hits(check(d))).toEqual([]);
  });
  it('upstream servers with the resolve parameter and a resolver', () => {
    const d = nginxStack(
      `resolver 127.0.0.11 valid=5s;\nupstream app { zone app 64k; server app:3000 resolve; }\nserver { listen 8080; location / { proxy_pass http://app; ${HEADERS} } }\n`,
    );
    expect(hits(check(d))).toEqual([]);
  });
  it('headers set by an include the image provides (proxy_params) are not second-guessed', () => {
    const d = nginxStack(
      `resolver 127.0.0.11 valid=5s;\nserver { listen 8080; location / { set $u app; proxy_pass http://$u:3000; include proxy_params; } }\n`,
    );
    expect(hits(check(d))).toEqual([]);
  });
  it('server-template with resolvers from default-server', () => {
    const d = haproxyStack(
      '    default-server check resolvers docker init-addr none\n    server-template app 5 app:3000\n',
    );
    expect(hits(check(d))).toEqual([]);
  });
  it('DB_HOST=localhost is the address of something the app calls, not where it listens', () => {
    const d = proj({
      'compose.yml': `services:\n${APP}    environment:\n      DB_HOST: localhost\n      REDIS_URL: redis://127.0.0.1:6379\n  lb:\n    image: nginx\n    volumes:\n      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf\n`,
      'nginx/default.conf': RESOLVING,
    });
    expect(hits(check(d))).toEqual([]);
  });
  it('a port range for a replicated service, and the official image templates folder (envsubst limited to set variables)', () => {
    const d = proj({
      'compose.yml': `services:\n  app:\n    image: app\n    deploy: {replicas: 3}\n    ports: ["8000-8010:3000"]\n  lb:\n    image: nginx\n    environment:\n      UPSTREAM: app\n    volumes:\n      - ./default.conf.template:/etc/nginx/templates/default.conf.template\n`,
      'default.conf.template': `resolver 127.0.0.11 valid=5s;\nserver { listen 8080; location / { set $u \${UPSTREAM}; proxy_pass http://$u:3000; ${HEADERS} } }\n`,
    });
    expect(hits(check(d))).toEqual([]);
  });
});

describe('more ways to get it wrong', () => {
  it('HAProxy: a fixed container address, and one server line for a 3-replica service', () => {
    expect(hits(check(haproxyStack('    server a 172.18.0.5:3000 check\n')))).toEqual([
      ['SK3001', 'haproxy.cfg', 10],
    ]);
    const d = haproxyStack(
      '    server a app:3000 check resolvers docker\n',
      '    deploy:\n      replicas: 3\n',
    );
    expect(hits(check(d))).toEqual([['SK3001', 'haproxy.cfg', 10]]);
  });
  it('loopback from a command flag, and from the image ENV (compose can override it)', () => {
    const conf = `resolver 127.0.0.11 valid=5s;\nserver { listen 8080; location / { set $u app; proxy_pass http://$u:8000; ${HEADERS} } }\n`;
    const d = proj({
      'compose.yml': `services:\n  app:\n    build: ./app\n    command: ["gunicorn", "-b", "127.0.0.1:8000", "app:app"]\n    healthcheck:\n      test: ["CMD", "true"]\n  lb:\n    image: nginx\n    volumes:\n      - ./default.conf:/etc/nginx/conf.d/default.conf\n`,
      'app/Dockerfile': 'FROM python:3\nENV HOST=127.0.0.1\nCMD ["gunicorn", "app:app"]\n',
      'default.conf': conf,
    });
    expect(hits(check(d)).filter((h) => h[0] === 'SK1001')).toEqual([
      ['SK1001', 'app/Dockerfile', 2],
      ['SK1001', 'compose.yml', 4],
    ]);
    expect(hits(check(d)).filter((h) => h[0] === 'SK4011')).toEqual([['SK4011', 'compose.yml', 6]]);
    writeFileSync(
      join(d, 'compose.yml'),
      `services:\n  app:\n    build: ./app\n    environment: [HOST=0.0.0.0]\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/"]\n  lb:\n    image: nginx\n    volumes:\n      - ./default.conf:/etc/nginx/conf.d/default.conf\n`,
    );
    expect(hits(check(d))).toEqual([]);
  });
  it('a health check on a port the app does not serve', () => {
    const d = proj({
      'compose.yml': `services:\n  app:\n    image: app\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://127.0.0.1:8080/healthz"]\n  lb:\n    image: nginx\n    volumes:\n      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf\n`,
      'nginx/default.conf': RESOLVING,
    });
    expect(hits(check(d))).toEqual([['SK4011', 'compose.yml', 5]]);
  });
  it('envsubst in an entrypoint script, pointed at its line', () => {
    const d = proj({
      'compose.yml': `services:\n${APP}  lb:\n    build: ./lb\n`,
      'lb/Dockerfile':
        'FROM nginx\nCOPY nginx.conf.tpl /etc/nginx/nginx.conf.tpl\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n',
      'lb/nginx.conf.tpl': `events {}\nhttp { resolver 127.0.0.11 valid=5s; server { listen 8080; location / { set $u \${APP}; proxy_pass http://$u:3000; ${HEADERS} } } }\n`,
      'lb/start.sh':
        '#!/bin/sh\nset -e\nenvsubst < /etc/nginx/nginx.conf.tpl > /etc/nginx/nginx.conf\nexec nginx -g "daemon off;"\n',
    });
    expect(hits(check(d))).toEqual([['SK2010', 'lb/start.sh', 3]]);
  });
  it('a replicated service with an interpolated fixed port', () => {
    const d = proj({
      'compose.yml':
        'services:\n  app:\n    image: app\n    scale: 2\n    ports:\n      - "${APP_PORT:-3000}:3000"\n',
    });
    const found = check(d);
    expect(hits(found)).toEqual([['SK4002', 'compose.yml', 6]]);
    expect(found[0].message).toContain('fixed host port 3000');
  });
});

describe('bad input is a finding with file and line, never a crash', () => {
  it('compose YAML that does not parse', () => {
    const d = proj({ 'compose.yml': 'services:\n  app:\n    image: a\n   ports: [1\n' });
    const found = check(d);
    expect(hits(found).map((h) => h.slice(0, 2))).toEqual([['SK0001', 'compose.yml']]);
    expect(found[0].line).toBeGreaterThanOrEqual(4);
  });
  it('nginx and HAProxy files that do not parse', () => {
    const d = nginxStack(
      'server {\n    listen 8080;\n    location / {\n        proxy_pass http://app:3000\n    }\n}\n',
    );
    expect(hits(check(d))).toEqual([['SK0001', 'nginx/default.conf', 4]]);
    const h = haproxyStack('    server a "app:3000 check\n');
    expect(hits(check(h))).toEqual([['SK0001', 'haproxy.cfg', 10]]);
    const open = nginxStack('server {\n    listen 8080;\n');
    expect(check(open)[0].message).toMatch(/"server" block opened here is not closed/);
  });
  it('a referenced file that does not exist names the service and the path', () => {
    const d = proj({
      'compose.yml':
        'services:\n  lb:\n    image: nginx\n    volumes:\n      - ./nginx/missing.conf:/etc/nginx/nginx.conf\n',
    });
    const found = check(d);
    expect(hits(found)).toEqual([['SK0002', 'compose.yml', 5]]);
    expect(found[0].message).toContain('service "lb" uses "./nginx/missing.conf", which does not exist');
    const b = proj({
      'compose.yml': 'services:\n  app:\n    build: ./app\n',
      'app/Dockerfile': 'FROM x\nCOPY nope.sh /nope.sh\n',
    });
    expect(hits(check(b))).toEqual([['SK0002', 'app/Dockerfile', 2]]);
  });
});

describe('hostile input', () => {
  it('../ paths and symlinks that leave the project are not read', () => {
    const outside = proj({
      'secret.conf': 'server { listen 1; location / { proxy_pass http://app:3000; } }\n',
    });
    const d = proj({
      'compose.yml': `services:\n${APP}  lb:\n    image: nginx\n    volumes:\n      - ../${outside.split('/').pop()}/secret.conf:/etc/nginx/conf.d/a.conf\n      - ./link.conf:/etc/nginx/conf.d/b.conf\n`,
    });
    symlinkSync(join(outside, 'secret.conf'), join(d, 'link.conf'));
    const r = lintStack(d, ['compose.yml'], OPTIONS, {});
    expect([...r.stack.texts.keys()].some((k) => k.includes('secret') || k.includes('link'))).toBe(false);
    const found = r.files.flatMap((f) => f.findings.map((x) => [x.code, x.severity, x.line]));
    expect(found).toEqual([
      ['SK0003', 'style', 9],
      ['SK0003', 'style', 10],
    ]);
  });
  it('a file above max-file-size is not read (SK0004), the rest is still checked', () => {
    const d = nginxStack(
      '#'.repeat(3000) + '\n',
      '  web:\n    image: w\n    container_name: web\n    deploy: {replicas: 2}\n',
    );
    const found = check(d, { maxFileSize: 2048 });
    expect(hits(found)).toEqual([
      ['SK4001', 'compose.yml', 8],
      ['SK0004', 'compose.yml', 14],
    ]);
  });
  it('newlines and workflow commands in names stay on one line in every format', () => {
    const d = proj({
      'compose.yml':
        'services:\n  "a\\n::error::x":\n    image: a\n    scale: 2\n    container_name: "n\\n::warning::y"\n',
    });
    const r = lintStack(d, ['compose.yml'], OPTIONS, {});
    const results = r.files.map((f) => ({ file: f.file, findings: f.findings }));
    expect(results[0].findings.map((f) => f.code)).toEqual(['SK4001']);
    const tty = render('tty', results, { noColor: true, version: 'x' });
    expect(tty.trimEnd().split('\n')).toHaveLength(1);
    expect(tty).not.toMatch(/^::/m);
  });
  it('a huge compose file of many services stays linear (no crash, every replicated one found)', () => {
    const svc = (k: number) => `  s${k}:\n    image: x\n    scale: 2\n    container_name: c${k}\n`;
    const d = proj({
      'compose.yml': 'services:\n' + Array.from({ length: 2000 }, (_, k) => svc(k)).join(''),
    });
    expect(check(d).filter((f) => f.code === 'SK4001')).toHaveLength(2000);
  });
});

describe('pragmas, ignores and overrides as for DL rules', () => {
  it('# hadolint ignore= in compose YAML, nginx and HAProxy comments; global ignore; Dockerfile pragmas', () => {
    const d = proj({
      'compose.yml': `services:\n  app:\n    build: ./app\n    deploy: {replicas: 2}\n    # hadolint ignore=SK4001\n    container_name: app\n    ports: ["3000:3000"] # shipkit ignore=SK4002\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://127.0.0.1:3000/"]\n  lb:\n    image: nginx\n    volumes:\n      - ./default.conf:/etc/nginx/conf.d/default.conf\n`,
      'app/Dockerfile': 'FROM node\n# hadolint ignore=SK1001\nENV HOST=127.0.0.1\n',
      'default.conf': `# hadolint global ignore=SK2020\nupstream app {\n    # shipkit ignore=SK2001\n    server app:3000;\n}\nserver { listen 8080; location / { proxy_pass http://app; } }\n`,
    });
    expect(hits(check(d))).toEqual([]);
  });
  it('ignored codes and severity overrides from the config', () => {
    const d = nginxStack(
      `resolver 127.0.0.11 valid=5s;\nserver { listen 8080; location / { set $u app; proxy_pass http://$u:3000; } }\n`,
    );
    expect(check(d).map((f) => [f.code, f.severity])).toEqual([['SK2020', 'warning']]);
    expect(check(d, {}, { override: { error: ['SK2020'] } }).map((f) => f.severity)).toEqual(['error']);
    expect(check(d, {}, { ignored: ['SK2020'] })).toEqual([]);
  });
});

describe('compose itself resolves what plain YAML reading cannot (extends, env_file)', () => {
  const noCompose =
    missingCommand('docker-compose', ['version', '--short']) &&
    missingCommand('docker', ['compose', 'version']);
  it.skipIf(!!noCompose)(
    `an env_file and an extended service are seen through compose, lines still from the YAML${noCompose ? ` — skipped: ${noCompose}` : ''}`,
    async () => {
      const { composeReader } = await import('../../../src/lint/stack/resolved.js');
      const d = proj({
        'compose.yml':
          'services:\n  base:\n    image: app\n    environment:\n      PORT: "3000"\n  app:\n    extends: base\n    env_file: app.env\n    deploy:\n      replicas: 2\n    container_name: app\n',
        'app.env': 'HOST=127.0.0.1\n',
      });
      const { reader, fallback } = await composeReader(d, ['compose.yml'], { PATH: process.env.PATH });
      expect(fallback).toBeUndefined();
      const r = lintStack(d, ['compose.yml'], OPTIONS, {}, reader);
      const app = r.stack.services.get('app');
      expect(app?.environment.get('HOST')?.value).toBe('127.0.0.1');
      expect(app?.environment.get('PORT')?.value).toBe('3000');
      expect(r.files.flatMap((f) => f.findings.map((x) => [x.code, x.line]))).toEqual([['SK4001', 11]]);
    },
  );
  it('without extends/include/env_file the files are read directly (no compose process)', async () => {
    const { composeReader } = await import('../../../src/lint/stack/resolved.js');
    const { yamlCompose } = await import('../../../src/lint/stack/compose.js');
    const d = proj({ 'compose.yml': 'services:\n  app:\n    image: app\n' });
    const calls: string[] = [];
    const r = await composeReader(d, ['compose.yml'], {}, (file) => {
      calls.push(file);
      throw new Error('not expected');
    });
    expect(r.reader).toBe(yamlCompose);
    expect(calls).toEqual([]);
  });
});

describe('what the app code and check scripts say', () => {
  const conf = RESOLVING;
  const stack = (server: string, env = '') =>
    proj({
      'compose.yml': `services:\n  app:\n    build: ./app\n${env}    healthcheck:\n      test: ["CMD", "node", "/app/check.js"]\n  lb:\n    image: nginx\n    volumes:\n      - ./default.conf:/etc/nginx/conf.d/default.conf\n`,
      'app/Dockerfile': 'FROM node:22\nWORKDIR /app\nCOPY server.js check.js ./\nCMD ["node", "server.js"]\n',
      'app/server.js': server,
      'app/check.js':
        "require('http').get({ host: '127.0.0.1', port: 3000, path: '/healthz' }, (r) => process.exit(r.statusCode === 200 ? 0 : 1));\n",
      'default.conf': conf,
    });
  it('server.listen(port, "127.0.0.1") in the app code, at its line', () => {
    const d = stack(
      "const http = require('http');\nhttp.createServer(() => {}).listen(3000, '127.0.0.1');\n",
    );
    expect(hits(check(d))).toEqual([['SK1001', 'app/server.js', 2]]);
  });
  it('a loopback default for an unset variable fires; setting the variable in compose fixes it', () => {
    const code =
      "const host = process.env.HOST || '127.0.0.1';\nrequire('http').createServer(() => {}).listen(3000, host);\n";
    expect(hits(check(stack(code)))).toEqual([['SK1001', 'app/server.js', 1]]);
    expect(hits(check(stack(code, '    environment:\n      HOST: 0.0.0.0\n')))).toEqual([]);
  });
  it('HAProxy without httpchk while the check script requests /healthz (SK3003); an image-only app without a check (SK4010)', () => {
    const d = stack("require('http').createServer(() => {}).listen(3000, '0.0.0.0');\n");
    writeFileSync(
      join(d, 'compose.yml'),
      `services:\n  app:\n    build: ./app\n    healthcheck:\n      test: ["CMD", "node", "/app/check.js"]\n  web:\n    image: traefik/whoami\n  lb:\n    image: haproxy\n    volumes:\n      - ./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg\n`,
    );
    writeFileSync(
      join(d, 'haproxy.cfg'),
      'defaults\n    mode http\nresolvers docker\n    nameserver dns 127.0.0.11:53\nbackend app\n    server-template app 4 app:3000 check resolvers docker\nbackend web\n    option httpchk\n    server-template web 4 web:80 check resolvers docker\n',
    );
    const found = check(d);
    expect(hits(found)).toEqual([
      ['SK3003', 'haproxy.cfg', 6],
      ['SK4010', 'compose.yml', 6],
    ]);
    expect(found[0].message).toContain('option httpchk GET /healthz');
    expect(found[1].message).toContain('its image traefik/whoami is not built here');
  });
});

describe('hostile nesting', () => {
  it('nginx blocks nested 100,000 deep and YAML nested 100,000 deep are findings, not a stack overflow', () => {
    const d = nginxStack('a {'.repeat(100_000));
    expect(hits(check(d))).toEqual([['SK0001', 'nginx/default.conf', 1]]);
    expect(check(d)[0].message).toContain('nested deeper than 64');
    const y = proj({ 'compose.yml': 'services:\n  app:\n    image: ' + '['.repeat(100_000) + '\n' });
    const found = check(y);
    expect(found.map((f) => [f.code, f.file])).toEqual([['SK0001', 'compose.yml']]);
  });
});

describe('entrypoint scripts', () => {
  const app = (script: string, cmd = 'CMD ["node", "server.js"]\n') =>
    proj({
      'compose.yml': 'services:\n  app:\n    build: ./app\n',
      'app/Dockerfile': `FROM node:22\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n${cmd}`,
      'app/entry.sh': script,
    });
  it('exec "$@", exec of its own process, or a trap: no finding', () => {
    expect(hits(check(app('#!/bin/sh\nset -e\nexec "$@"\n')))).toEqual([]);
    expect(hits(check(app('#!/bin/sh\nexec nginx -g "daemon off;"\n')))).toEqual([]);
    expect(
      hits(check(app('#!/bin/sh\ntrap \'kill -TERM $child\' TERM\n"$@" &\nchild=$!\nwait $child\n'))),
    ).toEqual([]);
  });
  it('"$@" without exec, and a CMD-less script whose last command is not exec: at the last command line', () => {
    expect(hits(check(app('#!/bin/sh\nset -e\n"$@"\n# done\n')))).toEqual([['SK5002', 'app/entry.sh', 3]]);
    expect(hits(check(app('#!/bin/sh\nnode /app/server.js\n', '')))).toEqual([['SK5002', 'app/entry.sh', 2]]);
  });
});

describe('loopback in code: only what the container serves', () => {
  const conf = RESOLVING;
  it('tests copied in with COPY . . and a local-only nginx status server are not the app listening', () => {
    const d = proj({
      'compose.yml': `services:\n  app:\n    build: ./app\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://127.0.0.1:3000/"]\n  lb:\n    build: ./lb\n    ports: ["8080:8080"]\n`,
      'app/Dockerfile': 'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
      'app/server.js': "require('http').createServer(() => {}).listen(3000, '0.0.0.0');\n",
      'app/test/server.test.js': "server.listen(0, '127.0.0.1');\n",
      'app/tools.js': "net.createServer().listen(9000, 'localhost');\n",
      'lb/Dockerfile': 'FROM nginx\nCOPY default.conf /etc/nginx/conf.d/default.conf\n',
      'lb/default.conf': conf + 'server { listen 127.0.0.1:8081; location /status { stub_status; } }\n',
    });
    expect(hits(check(d))).toEqual([]);
    writeFileSync(join(d, 'lb/default.conf'), conf.replace('listen 8080;', '\n    listen 127.0.0.1:8080;\n'));
    expect(hits(check(d))).toEqual([['SK1001', 'lb/default.conf', 3]]);
  });
  it('gunicorn app:app finds app.py; a gunicorn config file binding loopback', () => {
    const d = proj({
      'compose.yml': `services:\n  app:\n    build: .\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://127.0.0.1:8000/"]\n  lb:\n    image: nginx\n    volumes:\n      - ./default.conf:/etc/nginx/conf.d/default.conf\n`,
      Dockerfile:
        'FROM python:3\nWORKDIR /srv\nCOPY app.py gunicorn.conf.py ./\nCMD ["gunicorn", "app:app"]\n',
      'app.py':
        "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(host='127.0.0.1', port=8000)\n",
      'gunicorn.conf.py': "bind = '127.0.0.1:8000'\n",
      'default.conf': conf.replace(':3000', ':8000'),
    });
    expect(hits(check(d))).toEqual([
      ['SK1001', 'app.py', 4],
      ['SK1001', 'gunicorn.conf.py', 1],
    ]);
  });
});

describe('nginx variables that name upstream groups', () => {
  it('a map choosing between upstream groups needs no resolver; a map to a service name does', () => {
    const conf = (value: string) =>
      `map $http_x_canary $backend {\n    default ${value};\n    1 ${value};\n}\nupstream blue { server 127.0.0.1:3001; }\nupstream green { server 127.0.0.1:3002; }\nserver { listen 8080; location / { proxy_pass http://$backend; ${HEADERS} } }\n`;
    expect(hits(check(nginxStack(conf('blue'))))).toEqual([]);
    expect(hits(check(nginxStack(conf('app:3000'))))).toEqual([['SK2003', 'nginx/default.conf', 7]]);
  });
});
