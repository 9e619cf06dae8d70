import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { expectedLabels } from '../../../test/stack/labels.js';
import { renderStackFile, stackFile, type StackFileInput } from './deployfile.js';

const base = (config: Record<string, unknown>, more: Partial<StackFileInput> = {}): StackFileInput => ({
  config,
  active: Object.keys((config.services as object) ?? {}),
  project: 'p1',
  owner: 'acme/shop',
  created: 1700000000,
  images: {},
  scale: {},
  ...more,
});
const LABELS = expectedLabels({ owner: 'acme/shop', created: 1700000000, project: 'p1' });

describe('stackFile: compose model to a docker stack deploy file', () => {
  const rows: {
    name: string;
    input: StackFileInput;
    services: Record<string, unknown>;
    ignored: string[];
  }[] = [
    {
      name: 'drops build, profiles and container_name; labels the service; replicas from scale',
      input: base(
        {
          services: {
            web: { build: { context: '/x' }, image: 'web:1', profiles: ['a'], container_name: 'w' },
          },
        },
        { scale: { web: 3 } },
      ),
      services: { web: { image: 'web:1', deploy: { labels: LABELS, replicas: 3 } } },
      ignored: ['services.web.build', 'services.web.profiles', 'services.web.container_name'],
    },
    {
      name: 'compose v2 output: published ports as strings become numbers, host_ip dropped',
      input: base({
        name: 'p1',
        services: {
          lb: {
            image: 'nginx',
            ports: [{ mode: 'host', target: 80, published: '8080', protocol: 'tcp', host_ip: '0.0.0.0' }],
          },
        },
      }),
      services: {
        lb: {
          image: 'nginx',
          ports: [{ mode: 'host', target: 80, published: 8080, protocol: 'tcp' }],
          deploy: { labels: LABELS },
        },
      },
      ignored: ['services.lb.ports[0].host_ip'],
    },
    {
      name: 'the image input wins over the file; user deploy labels are kept',
      input: base(
        {
          services: { app: { image: 'app:old', deploy: { labels: { team: 'x' }, endpoint_mode: 'dnsrr' } } },
        },
        { images: { app: 'reg/app@sha256:abc' } },
      ),
      services: {
        app: {
          image: 'reg/app@sha256:abc',
          deploy: { labels: { team: 'x', ...LABELS }, endpoint_mode: 'dnsrr' },
        },
      },
      ignored: [],
    },
    {
      name: 'inactive services (a profile not enabled) are left out',
      input: base(
        { services: { a: { image: 'a' }, tools: { image: 't', profiles: ['debug'] } } },
        { active: ['a'] },
      ),
      services: { a: { image: 'a', deploy: { labels: LABELS } } },
      ignored: [],
    },
    {
      name: 'bind mounts lose create_host_path (compose v2), keep propagation',
      input: base({
        services: {
          a: {
            image: 'a',
            volumes: [
              {
                type: 'bind',
                source: '/d',
                target: '/d',
                bind: { create_host_path: true, propagation: 'rprivate' },
              },
            ],
          },
        },
      }),
      services: {
        a: {
          image: 'a',
          volumes: [{ type: 'bind', source: '/d', target: '/d', bind: { propagation: 'rprivate' } }],
          deploy: { labels: LABELS },
        },
      },
      ignored: [],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const { doc, ignored } = stackFile(row.input);
      expect(doc.version).toBe('3.8');
      expect(doc.services).toEqual(row.services);
      expect(ignored).toEqual(row.ignored);
    });
  }

  it('labels the default network when a service uses it, and declared networks and volumes, not external ones', () => {
    const { doc } = stackFile(
      base({
        services: { a: { image: 'a' } },
        networks: { back: { driver: 'overlay' }, shared: { external: true } },
        volumes: { data: {} },
      }),
    );
    expect(doc.networks).toEqual({
      back: { driver: 'overlay', labels: LABELS },
      shared: { external: true },
      default: { labels: LABELS },
    });
    expect(doc.volumes).toEqual({ data: { labels: LABELS } });
  });

  it('refuses a service without an image, naming it', () => {
    expect(() => stackFile(base({ services: { web: { build: { context: '.' } } } }))).toThrow(UserError);
    expect(() => stackFile(base({ services: { web: { build: { context: '.' } } } }))).toThrow(
      /service web has no image/,
    );
  });

  it('refuses to scale a global service', () => {
    const input = base(
      { services: { lb: { image: 'n', deploy: { mode: 'global' } } } },
      { scale: { lb: 2 } },
    );
    expect(() => stackFile(input)).toThrow(/mode: global.*cannot be scaled/);
  });

  it('hostile values reach the engine as literals: $ doubled in what shipkit adds, no YAML injection', () => {
    const owner = 'me/$USER\n  evil: ${X}';
    const { text } = renderStackFile(
      base({ services: { a: { image: 'a' } } }, { owner, images: { a: 'img:${TAG}' } }),
    );
    const doc = parse(text) as {
      services: { a: { image: string; deploy: { labels: Record<string, string> } } };
    };
    expect(doc.services.a.deploy.labels['dev.shipkit.owner']).toBe('me/$$USER\n  evil: $${X}');
    expect(doc.services.a.image).toBe('img:$${TAG}');
    expect(Object.keys(doc.services.a.deploy.labels)).toHaveLength(4);
  });
});
