/** Compose-mode targets read through the installed compose (no image is built here). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../core/inputs.js';
import type { MetaResult } from '../meta/api.js';
import { getInputs } from './inputs.js';
import { resolveTargets } from './targets.js';

const FIXTURES = join(import.meta.dirname, '../../test/build-push/fixtures');
const inputs = (values: Record<string, string>) => getInputs(new InputReader(inputsFrom(values)));
const PATH = process.env.PATH ?? '/usr/bin';
const meta: MetaResult = {
  version: '1.2.3',
  tags: [],
  tagNames: ['1.2.3', 'latest'],
  labels: { 'org.opencontainers.image.version': '1.2.3' },
  annotations: [],
};
const dir = mkdtempSync(join(tmpdir(), 'skbp-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compose mode through compose', () => {
  it('applies meta tag names to every service image (variables, list args)', async () => {
    const env = { PATH, SKBP_REGISTRY: '127.0.0.1:5000', SKBP_TAG: 'main', SKBP_BASE: 'b' };
    const targets = await resolveTargets(
      inputs({ 'compose-file': 'stack/compose.yml' }),
      FIXTURES,
      env,
      async () => meta,
    );
    expect(targets.map((t) => t.name)).toEqual(['web', 'worker']);
    expect(targets.map((t) => t.tags)).toEqual([
      [
        '127.0.0.1:5000/skbp-itg-web:main',
        '127.0.0.1:5000/skbp-itg-web:1.2.3',
        '127.0.0.1:5000/skbp-itg-web:latest',
      ],
      [
        '127.0.0.1:5000/skbp-itg-worker:main',
        '127.0.0.1:5000/skbp-itg-worker:1.2.3',
        '127.0.0.1:5000/skbp-itg-worker:latest',
      ],
    ]);
    expect(targets[1].buildArgs).toEqual([['BASE_IMAGE', 'b']]);
    expect(targets[0].labels).toEqual([['org.opencontainers.image.version', '1.2.3']]);
  });

  it('several compose files (comma separated, in order) and extends from another file', async () => {
    mkdirSync(join(dir, 'api'), { recursive: true });
    writeFileSync(join(dir, 'api', 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(
      join(dir, 'base.yml'),
      'services:\n  common:\n    build:\n      context: ./api\n      args:\n        FROM_BASE: "1"\n',
    );
    writeFileSync(
      join(dir, 'a.yml'),
      'services:\n  api:\n    extends: {file: base.yml, service: common}\n    image: r.io/api:a\n',
    );
    writeFileSync(join(dir, 'b.yml'), 'services:\n  api:\n    image: r.io/api:b\n');
    const [t] = await resolveTargets(inputs({ 'compose-file': 'a.yml, b.yml', tags: 'x' }), dir, { PATH });
    expect(t).toMatchObject({
      name: 'api',
      context: join(dir, 'api'),
      tags: ['r.io/api:b', 'r.io/api:x'],
      buildArgs: [['FROM_BASE', '1']],
    });
  });

  it('a compose file that is missing is named', async () => {
    await expect(resolveTargets(inputs({ 'compose-file': 'a.yml,gone.yml' }), dir, { PATH })).rejects.toThrow(
      /compose file .*gone\.yml does not exist/,
    );
  });
});
