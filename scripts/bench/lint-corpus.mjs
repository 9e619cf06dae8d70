#!/usr/bin/env node
// Writes N varied Dockerfiles (default 600) into DIR for scripts/bench/lint.sh. Deterministic (seeded),
// so runs compare like with like. Not committed output: the corpus lives in a temp dir.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir = '/tmp/sklint-corpus', countArg = '600'] = process.argv.slice(2);
const count = Number(countArg);
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const some = (xs, n) => Array.from({ length: n }, () => pick(xs));

const bases = [
  'debian:12',
  'ubuntu:22.04',
  'alpine:3.19',
  'node:20-alpine',
  'python:3.12-slim',
  'nginx',
  'golang:1.22',
  'centos:7',
  'fedora:40',
  'opensuse/leap:15',
  'ruby:3.3',
  'haproxy:2.9',
  'registry.example.com:5000/base:1',
  'scratch',
  '${BASE_IMAGE}',
];
const apt = [
  'curl',
  'ca-certificates',
  'git',
  'build-essential',
  'jq=1.6-2',
  'wget',
  'unzip',
  'vim',
  'gnupg',
  'tzdata=2024a-0',
];
const steps = {
  apt: () =>
    `RUN apt-get update \\\n    && apt-get install -y ${pick(['', '--no-install-recommends '])}${some(apt, 3).join(' ')} \\\n    ${pick(['&& rm -rf /var/lib/apt/lists/*', '&& apt-get clean'])}`,
  apk: () =>
    `RUN apk add ${pick(['--no-cache ', '--update '])}${some(['curl', 'bash=5.2.21-r0', 'git', 'openssl~3.1'], 2).join(' ')}`,
  pip: () =>
    `RUN pip install ${pick(['--no-cache-dir ', ''])}${some(['flask', 'requests==2.31.0', 'gunicorn>=21', 'numpy'], 2).join(' ')}`,
  npm: () =>
    `RUN npm install ${pick(['-g ', ''])}${some(['express', 'typescript@5.4.0', '@types/node', 'pm2@5'], 2).join(' ')}`,
  yum: () =>
    `RUN yum install ${pick(['-y ', ''])}httpd${pick(['-2.4.6', ''])} ${pick(['&& yum clean all', ''])}`,
  dnf: () => `RUN dnf install -y nginx${pick(['-1.24', ''])} && dnf clean all`,
  zypper: () => `RUN zypper ${pick(['-n ', ''])}install curl${pick(['=8.0', ''])} && zypper clean`,
  gem: () => `RUN gem install ${pick(['bundler', 'rails:7.1', 'rake -v 13'])}`,
  go: () => `RUN go install ${pick(['example.com/tool@v1.2.3', 'example.com/tool@latest', './cmd/...'])}`,
  pipe: () => `RUN curl -fsSL https://example.com/install.sh | ${pick(['sh', 'bash -s -- --yes'])}`,
  cd: () => `RUN cd /src && make ${pick(['all', 'install', '-j4'])}`,
  vars: () => `RUN echo $HOME ${pick(['$1', '"$PATH"', '${APP_VERSION}'])} > /tmp/${pick(['a', 'b'])}.txt`,
  shellisms: () => `RUN if [[ -f /etc/os-release ]]; then source /etc/os-release; fi`,
  heredoc: () =>
    `RUN <<EOF\n${pick(['#!/bin/bash\nset -euo pipefail\n', ''])}echo start\nfor i in 1 2 3; do echo $i; done\nEOF`,
  user: () => `RUN useradd ${pick(['-l ', ''])}-u ${pick(['1000', '1234567'])} app`,
  wget: () =>
    `RUN wget ${pick(['-q ', '--progress=dot:giga ', ''])}https://example.com/a.tar.gz -O /tmp/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt`,
  env: () => `ENV APP_HOME=/app ${pick(['APP_BIN=$APP_HOME/bin', 'LANG=C.UTF-8'])}`,
  label: () =>
    `LABEL org.opencontainers.image.version="1.${Math.floor(rnd() * 9)}.0" maintainer="team@example.com"`,
  copy: () => `COPY ${pick(['. .', 'package.json package-lock.json ./', 'src /app/src', 'a b c'])}`,
  add: () => `ADD ${pick(['app.tar.gz /opt/', 'https://example.com/f /f', 'config.json /etc/app/'])}`,
  workdir: () => `WORKDIR ${pick(['/app', 'app', '/srv/www'])}`,
  expose: () => `EXPOSE ${pick(['80', '8080/tcp', '443 8443', '70000'])}`,
  health: () =>
    `HEALTHCHECK ${pick(['--interval=30s --timeout=3s ', '--start-period=5s ', ''])}CMD ${pick(['curl -f http://localhost/ || exit 1', '["curl", "-f", "http://localhost/"]'])}`,
  sudo: () => `RUN sudo ${pick(['apt-get update', 'chown app /app'])}`,
  shell: () => `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`,
  arg: () => `ARG ${pick(['VERSION=1.0', 'GITHUB_TOKEN', 'BUILD_DATE'])}`,
  mount: () =>
    `RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10`,
};
const names = Object.keys(steps);

mkdirSync(dir, { recursive: true });
for (let n = 0; n < count; n++) {
  const lines = [pick(['# syntax=docker/dockerfile:1', '# build file', ''])];
  if (rnd() < 0.2) lines.push('ARG BASE_IMAGE=debian:12');
  const stages = rnd() < 0.3 ? 2 : 1;
  for (let s = 0; s < stages; s++) {
    lines.push(`FROM ${pick(bases)}${stages > 1 && s === 0 ? ' AS build' : ''}`);
    for (const name of some(names, 3 + Math.floor(rnd() * 7))) lines.push(steps[name]());
    if (stages > 1 && s === 1) lines.push('COPY --from=build /out /app/');
  }
  lines.push(pick(['USER 1000', 'USER app', 'USER root', '']));
  lines.push(
    pick([
      'CMD ["node", "server.js"]',
      'CMD node server.js',
      'ENTRYPOINT ["/entrypoint.sh"]',
      'CMD ["nginx", "-g", "daemon off;"]',
    ]),
  );
  const name = pick(['Dockerfile', 'Dockerfile.dev', 'api.Dockerfile']);
  mkdirSync(join(dir, `p${n}`), { recursive: true });
  writeFileSync(join(dir, `p${n}`, name), lines.filter((l) => l !== '').join('\n') + '\n');
}
console.log(`wrote ${count} Dockerfiles under ${dir}`);
