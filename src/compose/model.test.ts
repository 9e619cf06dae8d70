import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecOptions, ExecResult } from '../core/exec.js';
import {
  composeComplaint,
  configCommand,
  isExternal,
  onDefaultNetwork,
  parseConfigOutput,
  readCompose,
  type Exec,
} from './model.js';
import { v1InterpolationGap } from './source.js';
import { rejectionOf } from '../../test/helpers/thrown.js';

const V1 = { file: 'docker-compose', prefix: [], version: 1 as const };
const V2 = { file: 'docker', prefix: ['compose'], version: 2 as const };
const fixture = readFileSync(new URL('./fixtures/v2-config.json', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'shipkit-compose-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

/** Records each call and answers like compose would. */
function fakeExec(
  result: Partial<ExecResult>,
): Exec & { calls: [string, readonly string[], ExecOptions?][] } {
  const calls: [string, readonly string[], ExecOptions?][] = [];
  const fn = (file: string, args: readonly string[], opts?: ExecOptions) => {
    calls.push([file, args, opts]);
    return Promise.resolve({ code: 0, signal: null, stdout: '', stderr: '', timedOut: false, ...result });
  };
  return Object.assign(fn, { calls });
}

describe('configCommand', () => {
  const rows = [
    {
      name: 'v2: JSON, every -f in order, project dir, env files and profiles',
      o: {
        cmd: V2,
        files: ['/p/a.yml', '/p/b.yml'],
        projectDir: '/p',
        envFiles: ['/p/.env.ci'],
        profiles: ['dbg'],
        projectName: 'shop',
      },
      expected: [
        'docker',
        [
          'compose',
          '-p',
          'shop',
          '-f',
          '/p/a.yml',
          '-f',
          '/p/b.yml',
          '--project-directory',
          '/p',
          '--env-file',
          '/p/.env.ci',
          '--profile',
          'dbg',
          'config',
          '--format',
          'json',
        ],
      ],
    },
    {
      name: 'v1: YAML (it has no --format), no -p when none is given',
      o: { cmd: V1, files: ['/p/a.yml'], projectDir: '/p' },
      expected: ['docker-compose', ['-f', '/p/a.yml', '--project-directory', '/p', 'config']],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const c = configCommand(row.o);
      expect([c.file, c.args]).toEqual(row.expected);
    });
  }

  it('v1 with two env files is a clear error (v1 reads one)', () => {
    expect(() => configCommand({ cmd: V1, files: ['/a'], projectDir: '/', envFiles: ['/x', '/y'] })).toThrow(
      /v1 reads only one env file/,
    );
  });
});

describe('parseConfigOutput', () => {
  it('reads v2 JSON: services, build args with unset ones null, networks and volumes, $$ unescaped', () => {
    const m = parseConfigOutput(2, fixture);
    expect(m.name).toBe('shop');
    expect(Object.keys(m.services)).toEqual(['web', 'db']);
    expect(m.services.web.build).toMatchObject({
      context: '/src/shop/web',
      dockerfile: 'Dockerfile',
      args: { BASE: 'shipkit/base:bookworm', UNSET: null },
      labels: { team: 'shop' },
      cache_from: ['type=registry,ref=r.io/web:cache'],
    });
    expect(m.services.web.environment).toEqual({ PASSWORD: 'a$b' });
    expect(m.services.db.build).toBeUndefined();
    expect(m.services.db.profiles).toEqual(['debug']);
    expect(onDefaultNetwork(m.services.web)).toBe(true);
    expect(onDefaultNetwork(m.services.db)).toBe(false);
    expect(isExternal(m.networks.ext)).toBe(true);
    expect(isExternal(m.networks.back)).toBe(false);
    expect(Object.keys(m.volumes)).toEqual(['data']);
  });

  it('reads v1 YAML the same way (list args and labels become maps)', () => {
    const v1 = `services:
  web:
    build:
      args:
      - BASE=b
      - BARE
      context: /src/web
      labels:
      - team=shop
    image: r/web
    labels:
      a: $$HOME
  lb:
    image: nginx
    network_mode: host
networks:
  ext:
    external: true
    name: ext
version: '3.9'
`;
    const m = parseConfigOutput(1, v1);
    expect(m.services.web.build).toMatchObject({
      context: '/src/web',
      args: { BASE: 'b', BARE: null },
      labels: { team: 'shop' },
    });
    expect(m.services.web.labels).toEqual({ a: '$HOME' });
    expect(onDefaultNetwork(m.services.web)).toBe(true);
    expect(onDefaultNetwork(m.services.lb)).toBe(false);
    expect(isExternal(m.networks.ext)).toBe(true);
  });

  it('refuses output without services', () => {
    expect(() => parseConfigOutput(2, '{"name":"x"}')).toThrow(/no services/);
  });
});

describe('readCompose (v2 through the exec seam, with its documented JSON)', () => {
  it('runs config with exactly the given environment and returns the model and source lines', async () => {
    const f = write(
      'compose.yaml',
      'services:\n  web:\n    image: ${REG:+${REG}/}web:1\n    build: ./web\n  db:\n    image: postgres\n',
    );
    const exec = fakeExec({ stdout: fixture });
    const r = await readCompose({
      cmd: V2,
      files: [f],
      display: ['compose.yaml'],
      projectDir: dir,
      env: { REG: 'r.io', PATH: '/usr/bin' },
      exec,
    });
    expect(exec.calls).toHaveLength(1);
    const [file, args, opts] = exec.calls[0];
    expect([file, ...args]).toEqual([
      'docker',
      'compose',
      '-f',
      f,
      '--project-directory',
      dir,
      'config',
      '--format',
      'json',
    ]);
    expect(opts).toMatchObject({ env: { REG: 'r.io', PATH: '/usr/bin' }, replaceEnv: true, cwd: dir });
    expect(r.model.services.web.image).toBe('r.io/web:1');
    expect(r.locate('web', 'build')).toEqual({ file: 'compose.yaml', line: 4, col: 5 });
    expect(r.locate('db')).toEqual({ file: 'compose.yaml', line: 5, col: 3 });
    expect(r.locate('nope')).toEqual({ file: 'compose.yaml', line: 1, col: 1 });
  });

  it('a later -f file that sets a key is where that key is found', async () => {
    const a = write('a.yml', 'services:\n  web:\n    image: x\n');
    const b = write('b.yml', '# override\nservices:\n  web:\n    image: y\n');
    const r = await readCompose({
      cmd: V2,
      files: [a, b],
      display: ['a.yml', 'b.yml'],
      projectDir: dir,
      env: {},
      exec: fakeExec({ stdout: fixture }),
    });
    expect(r.locate('web', 'image')).toMatchObject({ file: 'b.yml', line: 4 });
    expect(r.locate('web')).toMatchObject({ file: 'a.yml', line: 2 });
  });

  it('a YAML syntax error names file, line and column, and compose is never run', async () => {
    const f = write('bad.yml', 'services:\n  web:\n    image: x\n   bad: [\n');
    const exec = fakeExec({ stdout: fixture });
    const e = await rejectionOf(
      readCompose({ cmd: V2, files: [f], display: ['bad.yml'], projectDir: dir, env: {}, exec }),
    );
    expect(e.location).toMatchObject({ file: 'bad.yml', line: 4 });
    expect(e.message).toMatch(/^YAML syntax error/);
    expect(exec.calls).toHaveLength(0);
  });

  it("compose's own rejection becomes a UserError with its reason (hint paragraphs left out)", async () => {
    const f = write('ok.yml', 'services:\n  web:\n    extends: {service: nope}\n');
    const stderr =
      'service "web" extends "nope": service not found\n\nYou might be seeing this error because…\n';
    const e = await rejectionOf(
      readCompose({
        cmd: V2,
        files: [f],
        display: ['ok.yml'],
        projectDir: dir,
        env: {},
        exec: fakeExec({ code: 1, stderr }),
      }),
    );
    expect(String(e)).toBe(
      'ok.yml: compose rejects the configuration: service "web" extends "nope": service not found',
    );
  });

  it('a missing file is a UserError naming it', async () => {
    const e = await rejectionOf(
      readCompose({
        cmd: V2,
        files: [join(dir, 'gone.yml')],
        display: ['gone.yml'],
        projectDir: dir,
        env: {},
        exec: fakeExec({}),
      }),
    );
    expect(String(e)).toMatch(/^gone\.yml: input "compose-file": compose file not found/);
  });

  it('v2 reads include and ${VAR:+x} (no v1 check runs)', async () => {
    const f = write('inc.yml', 'include:\n  - base.yml\nservices:\n  a:\n    image: ${A:+x}\n');
    const exec = fakeExec({ stdout: fixture });
    await readCompose({ cmd: V2, files: [f], projectDir: dir, env: {}, exec });
    expect(exec.calls).toHaveLength(1);
  });
});

describe('inProcessWhenPlain: a file compose would print back unchanged is read without compose', () => {
  const plain =
    'services:\n  web:\n    build: ./web\n    image: r/web:1\n    networks: [back]\n  db:\n    image: d\n    profiles: [debug]\nnetworks:\n  back: {}\n';
  it('reads the file itself, contexts resolved against the project directory, and never runs compose', async () => {
    const f = write('plain.yml', plain);
    const exec = fakeExec({ code: 1 });
    let asked = false;
    const cmd = () => ((asked = true), Promise.resolve(V1));
    const r = await readCompose({
      cmd,
      files: [f],
      projectDir: '/proj',
      env: {},
      exec,
      inProcessWhenPlain: true,
    });
    expect(exec.calls).toHaveLength(0);
    expect(asked).toBe(false);
    expect(r.model.services.web.build).toMatchObject({ context: '/proj/web' });
    expect(r.model.services.db.profiles).toEqual(['debug']);
    expect(onDefaultNetwork(r.model.services.web)).toBe(false);
    expect(Object.keys(r.model.networks)).toEqual(['back']);
  });

  const rows = [
    { name: 'a variable', files: [plain.replace('r/web:1', 'r/web:${TAG}')] },
    { name: 'an escaped dollar', files: [plain.replace('r/web:1', 'r/web:$$x')] },
    {
      name: 'extends',
      files: [plain.replace('    build: ./web\n', '    build: ./web\n    extends: {service: db}\n')],
    },
    { name: 'include', files: ['include: [other.yml]\n' + plain] },
    {
      name: 'an anchor and merge key',
      files: ['x-base: &base\n  image: d\nservices:\n  a:\n    <<: *base\n'],
    },
    {
      name: 'a build arg without a value (it comes from the environment)',
      files: [plain.replace('build: ./web', 'build: {context: ./web, args: [FROM_ENV]}')],
    },
    { name: 'a second file', files: [plain, 'services:\n  web:\n    image: r/web:2\n'] },
  ];
  for (const row of rows) {
    it(`runs compose when the files hold ${row.name}`, async () => {
      const files = row.files.map((text, n) =>
        write(`notplain-${row.name.replace(/\W/g, '')}-${n}.yml`, text),
      );
      const exec = fakeExec({ stdout: fixture });
      await readCompose({
        cmd: () => Promise.resolve(V2),
        files,
        projectDir: dir,
        env: {},
        exec,
        inProcessWhenPlain: true,
      });
      expect(exec.calls).toHaveLength(1);
    });
  }
});

describe('what docker-compose v1 cannot read is named before it runs', () => {
  const rows = [
    {
      name: 'include',
      text: 'include:\n  - base.yml\nservices: {}\n',
      line: 1,
      field: 'include',
      msg: /`include:` needs Compose v2/,
    },
    {
      name: '${VAR:+x}',
      text: 'services:\n  web:\n    image: ${REG:+${REG}/}web\n',
      line: 3,
      field: 'services.web.image',
      msg: /\$\{REG:\+…\} \(a value when REG is set\) needs Compose v2/,
    },
    {
      name: '${VAR+x} in a list',
      text: 'services:\n  web:\n    image: w\n    command:\n      - run\n      - ${X+--x}\n',
      line: 6,
      field: 'services.web.command.1',
      msg: /\$\{X\+…\}/,
    },
    {
      name: 'nested default',
      text: 'services:\n  web:\n    image: ${A:-${B:-c}}\n',
      line: 3,
      field: 'services.web.image',
      msg: /variable inside a default/,
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const f = write(`v1-${row.line}-${row.field}.yml`, row.text);
      const exec = fakeExec({ stdout: 'services: {}\n' });
      const e = await rejectionOf(
        readCompose({ cmd: V1, files: [f], display: ['c.yml'], projectDir: dir, env: {}, exec }),
      );
      expect(e.message).toMatch(row.msg);
      expect(e.location).toMatchObject({ file: 'c.yml', line: row.line, field: row.field });
      expect(exec.calls).toHaveLength(0);
    });
  }

  it('v1-readable forms pass: $$, ${A:-x}, ${A-x}, ${A:?m}, $A, and $$ inside a default', () => {
    for (const s of [
      '$${A:+x}',
      '${A:-x}',
      '${A-x}',
      '${A:?need A}',
      '$A/b',
      'p$$w',
      '${A:-x$$y}',
      'no vars',
    ]) {
      expect(v1InterpolationGap(s), s).toBeUndefined();
    }
    expect(v1InterpolationGap('${A:-$B}')).toMatch(/variable inside a default/);
  });
});

describe('composeComplaint', () => {
  it('keeps the reason, drops v1 hints and the ERROR: prefix, bounds the length', () => {
    const v1 =
      "ERROR: The Compose file './inc.yml' is invalid because:\n'include' does not match any of the regexes: '^x-'\n\nYou might be seeing this error because you're using the wrong Compose file version.\nFor more on the Compose file format versions, see https://docs.docker.com/compose/compose-file/\n";
    expect(composeComplaint(v1)).toBe(
      "The Compose file './inc.yml' is invalid because: 'include' does not match any of the regexes: '^x-'",
    );
    expect(composeComplaint('x'.repeat(5000)).length).toBe(600);
    expect(composeComplaint('')).toBe('no reason given');
  });
});
