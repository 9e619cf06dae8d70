import { describe, expect, it } from 'vitest';
import { linesOf, type Case } from './helpers.js';

const F = 'FROM a:1\n';
const cases: Case[] = [
  ['DL3001', 'ssh', F + 'RUN ssh host\n', [2]],
  ['DL3001', 'in a chain', F + 'RUN echo x && service nginx start\n', [2]],
  ['DL3001', 'ifconfig only in the message', F + 'RUN ifconfig\n', []],
  ['DL3001', 'ONBUILD', F + 'ONBUILD RUN vim x\n', [2]],
  ['DL3003', 'cd', F + 'RUN cd /tmp && make\n', [2]],
  ['DL3003', 'no cd', F + 'RUN make -C /tmp\n', []],
  ['DL3003', 'cd in subshell', F + 'RUN (cd /tmp && make)\n', [2]],
  ['DL3004', 'sudo', F + 'RUN sudo apt-get update\n', [2]],
  ['DL3004', 'ONBUILD sudo', F + 'ONBUILD RUN sudo x\n', [2]],
  ['DL3004', 'gosu', F + 'RUN gosu app x\n', []],
  ['DL4005', 'ln /bin/sh', F + 'RUN ln -sf /bin/bash /bin/sh\n', [2]],
  ['DL4005', 'other ln', F + 'RUN ln -s /a /b\n', []],
  ['DL3046', 'high uid', F + 'RUN useradd -u 123456 app\n', [2]],
  ['DL3046', 'with -l', F + 'RUN useradd -l -u 123456 app\n', []],
  ['DL3046', 'no-log-init', F + 'RUN useradd --no-log-init -u 123456 app\n', []],
  ['DL3046', 'low uid', F + 'RUN useradd -u 1000 app\n', []],
  ['DL3046', '--uid=', F + 'RUN useradd --uid=1234567 app\n', [2]],
  ['DL3047', 'wget plain', F + 'RUN wget http://x/a\n', [2]],
  ['DL3047', '-q', F + 'RUN wget -q http://x/a\n', []],
  ['DL3047', '-nv', F + 'RUN wget -nv http://x/a\n', []],
  ['DL3047', 'progress', F + 'RUN wget --progress=dot:giga http://x/a\n', []],
  ['DL3047', '-O is not -o', F + 'RUN wget -O /x http://x/a\n', [2]],
  ['DL3047', '-o log', F + 'RUN wget -o log http://x/a\n', []],
  ['DL4001', 'both in one RUN', F + 'RUN wget -q x && curl y\n', [2]],
  ['DL4001', 'second RUN reported', F + 'RUN curl x\nRUN wget -q y\n', [3]],
  ['DL4001', 'reset by FROM', F + 'RUN curl x\nFROM b:1\nRUN wget -q y\n', []],
  ['DL4001', 'later RUNs with either', F + 'RUN curl x\nRUN wget -q y\nRUN curl z\n', [3, 4]],
  ['DL4006', 'pipe', F + 'RUN a | b\n', [2]],
  ['DL4006', 'or is no pipe', F + 'RUN a || b\n', []],
  ['DL4006', 'bash pipefail', F + 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n', []],
  ['DL4006', '-eo pipefail', F + 'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a | b\n', []],
  ['DL4006', 'sh pipefail still fires', F + 'SHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN a | b\n', [3]],
  ['DL4006', 'ash pipefail', F + 'SHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN a | b\n', []],
  ['DL4006', 'pwsh', F + 'SHELL ["pwsh", "-c"]\nRUN a | b\n', []],
  ['DL4006', 'reset at FROM', F + 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM b:1\nRUN a | b\n', [4]],
  ['DL4006', 'pipe in quotes is text', F + 'RUN echo "a | b"\n', []],
  ['DL3059', 'two single RUNs', F + 'RUN a\nRUN b\n', [3]],
  ['DL3059', 'comment between', F + 'RUN a\n# x\nRUN b\n', [4]],
  ['DL3059', 'chain suppresses', F + 'RUN a && b\nRUN c\n', []],
  ['DL3059', 'chain in second suppresses', F + 'RUN a\nRUN b; c\n', []],
  ['DL3059', 'different flags', F + 'RUN a\nRUN --mount=type=cache,target=/x b\n', []],
  ['DL3059', 'other instruction between', F + 'RUN a\nENV X=1\nRUN b\n', []],
  ['DL3059', 'three in a row', F + 'RUN a\nRUN b\nRUN c\n', [3, 4]],
  ['DL3010', 'copy then extract', F + 'COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n', [2]],
  ['DL3010', 'copy not extracted', F + 'COPY app.tar.gz /tmp/\n', []],
  ['DL3010', 'unzip-like tool', F + 'COPY x.gz /tmp/\nRUN gunzip /tmp/x.gz\n', [2]],
  ['DL3010', 'copy --from exempt', F + 'COPY --from=b app.tar /tmp/\nRUN tar -xf /tmp/app.tar\n', []],
  ['DL3010', 'other stage', F + 'COPY app.tar /tmp/\nFROM b:1\nRUN tar -xf /tmp/app.tar\n', []],
  ['DL3044', 'self-referencing ENV', F + 'ENV A=1 B=$A\n', [2]],
  ['DL3044', 'braced', F + 'ENV A=1 B=${A}/x\n', [2]],
  ['DL3044', 'self reference ok', F + 'ENV PATH=/x:$PATH\n', []],
  ['DL3044', 'defined earlier', F + 'ENV A=1\nENV A=2 B=$A\n', []],
  ['DL3044', 'prefix name is not a reference', F + 'ENV A=1 B=$AB\n', []],
  ['DL3044', 'separate ENVs', F + 'ENV A=1\nENV B=$A\n', []],
  ['DL3064', 'password ENV', F + 'ENV DB_PASSWORD=x\n', [2]],
  ['DL3064', 'token ARG', F + 'ARG GITHUB_TOKEN\n', [2]],
  ['DL3064', 'AWS key id', F + 'ARG AWS_ACCESS_KEY_ID\n', [2]],
  ['DL3064', 'harmless', F + 'ARG VERSION=1\nENV PATH=/x\n', []],
  ['DL3066', 'name', F + 'USER app\n', [2]],
  ['DL3066', 'numeric', F + 'USER 1000:1000\n', []],
  ['DL3066', 'declared ARG', F + 'ARG UID=1000\nUSER ${UID}\n', []],
  ['DL3066', 'undeclared var', F + 'USER $UID\n', [2]],
];

describe('RUN and misc rules (table)', () => {
  it.each(cases)('%s %s', (code, _name, dockerfile, lines, config) => {
    expect(linesOf(code, dockerfile, config)).toEqual(lines);
  });
});

describe('DL3059 counts chains, not simple commands', () => {
  it.each([
    ['test then echo chain', 'FROM a:1\nRUN echo a\nRUN [[ -f x ]] && echo b\n', []],
    ['pipeline is one command', 'FROM a:1\nRUN echo a\nRUN a | b\n', [3]],
    [
      'difference: heredoc RUN never suggested (hadolint#805)',
      'FROM a:1\nRUN echo a\nRUN <<EOF\necho b\nEOF\n',
      [],
    ],
  ] as [string, string, number[]][])('%s', (_n, df, lines) => {
    expect(linesOf('DL3059', df)).toEqual(lines);
  });
});

describe('heredoc RUN bodies (difference: linted, hadolint#806)', () => {
  it.each([
    ['DL3008', 'apt-get in the body', 'FROM a:1\nRUN <<EOF\napt-get install -y curl\nEOF\n', [2]],
    ['DL4006', 'pipe in the body', 'FROM a:1\nRUN <<EOF\na | b\nEOF\n', [2]],
    ['DL4006', 'body sets pipefail', 'FROM a:1\nRUN <<EOF\n#!/bin/bash\nset -euo pipefail\na | b\nEOF\n', []],
    ['DL3003', 'python body is not shell', 'FROM a:1\nRUN python3 <<EOF\ncd = 1\nEOF\n', []],
  ] as [string, string, string, number[]][])('%s %s', (code, _n, df, lines) => {
    expect(linesOf(code, df)).toEqual(lines);
  });
});
