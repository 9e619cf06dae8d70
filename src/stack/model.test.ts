import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UserError } from '../core/errors.js';
import { parseConfigOutput, withSources, type ComposeSource } from '../compose/model.js';
import { checkServices, modelOf } from './model.js';
import { activeServices } from './up.js';
import { overrideModel, renderOverride } from './override.js';
import { userErrorOf } from '../../test/helpers/thrown.js';
import { expectedLabels } from '../../test/stack/labels.js';

const base = `# example
services:
  app:
    build: ./app
    image: x
  lb:
    image: y
    networks: [front]
  init:
    image: z
    network_mode: none
networks:
  front: {}
  ext:
    external: true
volumes:
  data: {}
`;

/**
 * The model of files whose `config` output is the file itself (no variables, extends or second
 * file: what compose does with those is tested against compose in src/compose/model.itg.test.ts).
 */
function parseCompose(sources: ComposeSource[]) {
  const located = withSources(sources, { services: {}, networks: {}, volumes: {} });
  return modelOf({ ...located, model: parseConfigOutput(1, sources.at(-1)?.text ?? '') });
}

describe('parseCompose', () => {
  it('finds services with their file and line, networks and volumes', () => {
    const m = parseCompose([{ file: 'compose.yml', text: base }]);
    expect([...m.services.keys()]).toEqual(['app', 'lb', 'init']);
    expect(m.services.get('lb')?.place).toEqual({ file: 'compose.yml', line: 6, col: 3 });
    expect(m.services.get('app')?.build).toBe(true);
    expect(m.services.get('app')?.defaultNetwork).toBe(true);
    expect(m.services.get('lb')?.defaultNetwork).toBe(false);
    expect(m.services.get('init')?.defaultNetwork).toBe(false);
    expect([...m.networks]).toEqual(['front']);
    expect([...m.external]).toEqual(['ext']);
    expect([...m.volumes]).toEqual(['data']);
    expect(m.servicesPlace).toEqual({ file: 'compose.yml', line: 2 });
  });

  it('reads a v2 model: its added default network and networks: {default: null} mean the default network', () => {
    const text = 'services:\n  app:\n    build: ./app\n  db:\n    image: d\n    networks: [back]\n';
    const json = JSON.stringify({
      services: {
        app: { build: { context: '/p/app' }, networks: { default: null } },
        db: { image: 'd', networks: { back: null } },
      },
      networks: { default: { name: 'p_default' }, back: { name: 'p_back' } },
    });
    const m = modelOf(withSources([{ file: 'c.yml', text }], parseConfigOutput(2, json)));
    expect([...m.services.keys()]).toEqual(['app', 'db']);
    expect(m.services.get('app')).toMatchObject({ build: true, defaultNetwork: true, place: { line: 2 } });
    expect(m.services.get('db')?.defaultNetwork).toBe(false);
    expect([...m.networks]).toEqual(['back']);
  });

  it('names file, line and column of a YAML syntax error', () => {
    const err = userErrorOf(() =>
      parseCompose([
        { file: 'ok.yml', text: 'services: {}\n' },
        { file: 'bad.yml', text: 'services:\n  app:\n    image: x\n   ports: 1\n' },
      ]),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.location.file).toBe('bad.yml');
    expect(err.location.line).toBe(4);
    expect(err.toString()).toBe(
      'bad.yml:4:1: YAML syntax error: All mapping items must start at the same column',
    );
  });

  it('points at a duplicated service key', () => {
    const err = userErrorOf(() =>
      parseCompose([{ file: 'd.yml', text: 'services:\n  app:\n    image: x\n  app:\n    image: y\n' }]),
    );
    expect(err.toString()).toBe('d.yml:4:3: YAML syntax error: Map keys must be unique');
  });

  it('rejects a file that is not a mapping', () => {
    expect(userErrorOf(() => parseCompose([{ file: 'l.yml', text: '- a\n- b\n' }])).toString()).toBe(
      'l.yml:1: expected a mapping with a "services:" key',
    );
  });
});

describe('checkServices', () => {
  const m = parseCompose([{ file: 'compose.yml', text: base }]);
  it('accepts known services', () => expect(() => checkServices(m, ['app', 'lb'], 'scale')).not.toThrow());
  it('names the input, the missing service, the file and line of services:', () => {
    const err = userErrorOf(() => checkServices(m, ['app', 'web'], 'scale'));
    expect(err.toString()).toBe(
      'compose.yml:2: services: input "scale" names service "web", which is not defined (services: app, lb, init)',
    );
  });
});

describe('override generation', () => {
  const m = parseCompose([{ file: 'compose.yml', text: base }]);
  const o = {
    model: m,
    project: 'skstack-1',
    owner: 'me/repo',
    created: 1700000000,
    images: { app: 'reg/app@sha256:abc' },
  };
  const labels = expectedLabels(o);

  it('sets the pushed image and labels every service, the default network, declared networks and volumes', () => {
    expect(overrideModel(o)).toEqual({
      services: { app: { image: 'reg/app@sha256:abc', labels }, init: { labels }, lb: { labels } },
      networks: { default: { labels }, front: { labels } },
      volumes: { data: { labels } },
    });
  });

  it('leaves out the default network when no service uses it, and never labels external ones', () => {
    const only = parseCompose([
      {
        file: 'c.yml',
        text: 'services:\n  a:\n    image: x\n    networks: [ext]\nnetworks:\n  ext:\n    external: true\n',
      },
    ]);
    expect(overrideModel({ ...o, model: only, images: {} })).toEqual({ services: { a: { labels } } });
  });

  it('renders YAML that parses back to the same model, with a header', () => {
    const text = renderOverride(o);
    expect(text.startsWith('# Generated by shipkit stack for project skstack-1')).toBe(true);
    expect(parse(text)).toEqual(overrideModel(o));
  });

  it('doubles every $ so compose does not interpolate an owner or image (the label gc filters on)', () => {
    const text = renderOverride({ ...o, owner: 'me/$USER${HOME}' });
    const doc = parse(text) as { services: { app: { labels: Record<string, string> } } };
    expect(doc.services.app.labels['dev.shipkit.owner']).toBe('me/$$USER$${HOME}');
  });
});

describe('activeServices', () => {
  const m = parseCompose([
    {
      file: 'c.yml',
      text: 'services:\n  app:\n    image: a\n  blue:\n    image: b\n    profiles: [blue]\n  green:\n    image: g\n    profiles: ["green", "all"]\n',
    },
  ]);
  const rows = [
    { name: 'no profiles: only unprofiled services', profiles: [], expected: ['app'] },
    { name: 'one profile', profiles: ['blue'], expected: ['app', 'blue'] },
    { name: 'a second profile name of a service', profiles: ['all'], expected: ['app', 'green'] },
  ];
  for (const row of rows) it(row.name, () => expect(activeServices(m, row.profiles)).toEqual(row.expected));
});
