/**
 * The compose reader against the compose installed here (docker-compose v1 1.29 on the development
 * machine; `docker compose` v2 where CI has it): every form issue 17 names, read by compose itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectCompose, type ComposeCommand } from '../docker/cli.js';
import { isExternal, onDefaultNetwork, readCompose, type ResolvedCompose } from './model.js';
import { rejectionOf } from '../../test/helpers/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'shipkit-compose-itg-'));
let cmd: ComposeCommand;
beforeAll(async () => {
  cmd = await detectCompose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin', ...extra });

function read(files: string[], extra: Record<string, string> = {}, sub = dir): Promise<ResolvedCompose> {
  return readCompose({
    cmd,
    files: files.map((f) => join(sub, f)),
    display: files,
    projectDir: sub,
    env: env(extra),
  });
}

describe('compose files read by the installed compose', () => {
  it('extends from another file, merged with the service’s own keys', async () => {
    write('ext/web/Dockerfile', 'FROM scratch\n');
    write(
      'ext/base.yml',
      'services:\n  common:\n    image: busybox\n    environment:\n      A: "1"\n    labels:\n      from: base\n',
    );
    write(
      'ext/compose.yml',
      'services:\n  web:\n    extends:\n      file: base.yml\n      service: common\n    build: ./web\n    image: r/web:1\n',
    );
    const r = await read(['compose.yml'], {}, join(dir, 'ext'));
    expect(r.model.services.web).toMatchObject({
      image: 'r/web:1',
      environment: { A: '1' },
      labels: { from: 'base' },
    });
    expect(r.model.services.web.build?.context).toBe(join(dir, 'ext', 'web'));
    expect(r.locate('web', 'build')).toMatchObject({ file: 'compose.yml', line: 6 });
  });

  it('several -f files: later ones override and add services', async () => {
    write('multi/web/Dockerfile', 'FROM scratch\n');
    write('multi/a.yml', 'services:\n  web:\n    image: r/web:1\n    build: ./web\n');
    write(
      'multi/b.yml',
      'services:\n  web:\n    image: r/web:2\n  db:\n    image: postgres\n    profiles: [debug]\n',
    );
    const r = await read(['a.yml', 'b.yml'], {}, join(dir, 'multi'));
    expect(r.model.services.web.image).toBe('r/web:2');
    expect(r.model.services.web.build?.context).toBe(join(dir, 'multi', 'web'));
    expect(r.model.services.db.profiles).toEqual(['debug']);
    expect(r.locate('web', 'image')).toMatchObject({ file: 'b.yml', line: 3 });
  });

  it('${VAR:-x}, ${VAR-x}, .env, and $$ as a literal dollar, with exactly the environment given', async () => {
    write('vars/.env', 'TAG=from-dotenv\n');
    write(
      'vars/compose.yml',
      'services:\n  web:\n    image: ${REG:-localhost:5000}/web:${TAG}\n    build:\n      context: .\n      args:\n        EMPTY_DEFAULT: ${UNSET-dflt}\n        SECRETISH: "p$$w${X:-}"\n',
    );
    const r = await read(['compose.yml'], {}, join(dir, 'vars'));
    expect(r.model.services.web.image).toBe('localhost:5000/web:from-dotenv');
    expect(r.model.services.web.build?.args).toEqual({ EMPTY_DEFAULT: 'dflt', SECRETISH: 'p$w' });
    const given = await read(['compose.yml'], { REG: 'r.io', TAG: 'env-wins' }, join(dir, 'vars'));
    expect(given.model.services.web.image).toBe('r.io/web:env-wins');
  });

  it('hostile values arrive byte for byte: newlines, ::warning::, ${X} in a variable', async () => {
    write(
      'hostile/compose.yml',
      'services:\n  web:\n    image: busybox\n    build:\n      context: .\n      args:\n        V: ${V}\n',
    );
    const v = 'a\n::warning::x ${HOME} $$ `id`';
    const r = await read(['compose.yml'], { V: v }, join(dir, 'hostile'));
    expect(r.model.services.web.build?.args?.V).toBe(v);
  });

  it('${VAR:+x}: v2 substitutes; v1 gets an error naming the form, file and line', async () => {
    write('plus/compose.yml', 'services:\n  web:\n    build: .\n    image: ${REG:+${REG}/}web:1\n');
    if (cmd.version === 2) {
      const r = await read(['compose.yml'], { REG: 'r.io' }, join(dir, 'plus'));
      expect(r.model.services.web.image).toBe('r.io/web:1');
      return;
    }
    const e = await rejectionOf(read(['compose.yml'], { REG: 'r.io' }, join(dir, 'plus')));
    expect(String(e)).toMatch(
      /^compose\.yml:4:12: services\.web\.image: \$\{REG:\+…\} \(a value when REG is set\) needs Compose v2/,
    );
  });

  it('include: v2 merges the included file; v1 gets an error naming it', async () => {
    write('inc/db.yml', 'services:\n  db:\n    image: postgres\n');
    write('inc/compose.yml', 'include:\n  - db.yml\nservices:\n  web:\n    image: w\n');
    if (cmd.version === 2) {
      const r = await read(['compose.yml'], {}, join(dir, 'inc'));
      expect(Object.keys(r.model.services).sort()).toEqual(['db', 'web']);
      expect(r.locate('db')).toMatchObject({ file: 'compose.yml', line: 3 });
      return;
    }
    const e = await rejectionOf(read(['compose.yml'], {}, join(dir, 'inc')));
    expect(String(e)).toMatch(/^compose\.yml:1:1: include: `include:` needs Compose v2/);
  });

  it('a variable inside a default: v2 substitutes; v1 (which would keep it literally) is refused', async () => {
    write('nest/compose.yml', 'services:\n  web:\n    image: ${A:-${B:-nested}}\n');
    if (cmd.version === 2) {
      expect((await read(['compose.yml'], {}, join(dir, 'nest'))).model.services.web.image).toBe('nested');
      return;
    }
    const e = await rejectionOf(read(['compose.yml'], {}, join(dir, 'nest')));
    expect(e.location).toMatchObject({ line: 3, field: 'services.web.image' });
  });

  it('a plain file read in process gives what compose gives for the keys shipkit reads', async () => {
    write('plain/web/Dockerfile', 'FROM scratch\n');
    const text =
      'services:\n  web:\n    build:\n      context: ./web\n      args: [A=1, C=]\n      labels: {team: shop}\n    image: r/web:1\n    networks: [back]\n  lb:\n    image: nginx\n    network_mode: host\n  db:\n    image: d\n    profiles: [debug]\nnetworks:\n  back: {}\n  ext: {external: true}\nvolumes:\n  data: {}\n';
    const f = write('plain/compose.yml', text);
    const both = await Promise.all(
      [false, true].map((inProcessWhenPlain) =>
        readCompose({ cmd, files: [f], projectDir: join(dir, 'plain'), env: env(), inProcessWhenPlain }),
      ),
    );
    const view = (r: ResolvedCompose) => ({
      services: Object.fromEntries(
        Object.entries(r.model.services).map(([n, s]) => [
          n,
          {
            build: s.build && { context: s.build.context, args: s.build.args, labels: s.build.labels },
            image: s.image,
            network_mode: s.network_mode,
            profiles: s.profiles,
            onDefault: onDefaultNetwork(s),
          },
        ]),
      ),
      networks: Object.entries(r.model.networks)
        .filter(([n]) => n !== 'default')
        .map(([n, v]) => [n, isExternal(v)]),
      volumes: Object.keys(r.model.volumes),
    });
    // v2 applies profiles in `config` (db is left out without --profile debug); the in-process read does not.
    const [viaCompose, inProcess] = both.map(view);
    if (cmd.version === 2) delete inProcess.services.db;
    expect(inProcess).toEqual(viaCompose);
  });

  it("compose's own errors: an extends of a missing service, a required variable", async () => {
    write('errs/compose.yml', 'services:\n  web:\n    extends:\n      service: nope\n');
    const e = await rejectionOf(read(['compose.yml'], {}, join(dir, 'errs')));
    expect(e.message).toMatch(/compose rejects the configuration: .*nope/i);
    write('errs2/compose.yml', 'services:\n  web:\n    image: ${REG:?set REG to your registry}\n');
    const e2 = await rejectionOf(read(['compose.yml'], {}, join(dir, 'errs2')));
    expect(e2.message).toMatch(/set REG to your registry/);
  });
});
