import { describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../../core/inputs.js';
import { UserError } from '../../core/errors.js';
import { demuxLogs, dockerEndpoint } from '../../docker/api.js';
import { getInputs } from '../step.js';
import type { AppSettings } from '../plan.js';
import {
  colourServiceSpec,
  lbEntry,
  lbServiceSpec,
  parseRoutes,
  routesLabel,
  slotAt,
  swarmHaproxyConf,
  swarmNodes,
  tokenOf,
  upAddresses,
} from './plan.js';

const TOKEN = '0123456789abcdef0123456789abcdef';

function settings(values: Record<string, string> = {}, env: Record<string, string> = {}): AppSettings {
  return getInputs(
    new InputReader(inputsFrom({ command: 'status', name: 'shop', engine: 'swarm', ...values })),
    { DOCKER_HOST: 'tcp://10.0.0.5:2375', ...env },
  ).settings;
}

describe('engine swarm inputs', () => {
  const rows: {
    name: string;
    values: Record<string, string>;
    env?: Record<string, string>;
    expected: unknown;
  }[] = [
    {
      name: 'defaults: HAProxy, the manager of DOCKER_HOST as public host, control port after preview, ingress',
      values: {},
      expected: {
        lb: 'haproxy',
        engine: 'swarm',
        swarm: {
          publicHost: '10.0.0.5',
          controlPort: 8082,
          publishMode: 'ingress',
          dockerHost: 'tcp://10.0.0.5:2375',
        },
      },
    },
    {
      name: 'the local socket: the public host is this machine',
      values: { port: '9000', 'publish-mode': 'host' },
      env: { DOCKER_HOST: '' },
      expected: { swarm: { publicHost: '127.0.0.1', controlPort: 9002, publishMode: 'host' } },
    },
  ];
  for (const r of rows) {
    it(r.name, () => expect(settings(r.values, r.env)).toMatchObject(r.expected as object));
  }

  const refused: {
    name: string;
    values: Record<string, string>;
    env?: Record<string, string>;
    field: string;
  }[] = [
    {
      name: 'lb-snippet would reach every node unchecked',
      values: { 'lb-snippet': 'http-request deny' },
      field: 'input "lb-snippet"',
    },
    {
      name: 'control port equal to the live port',
      values: { port: '9000', 'control-port': '9000' },
      field: 'input "control-port"',
    },
    {
      name: 'an ssh:// manager with a path',
      values: {},
      env: { DOCKER_HOST: 'ssh://ci@manager/var/run' },
      field: 'DOCKER_HOST',
    },
    {
      name: 'a hostile DOCKER_HOST',
      values: {},
      env: { DOCKER_HOST: 'tcp://a$(id):2375\n::warning::x' },
      field: 'DOCKER_HOST',
    },
    { name: 'an unknown publish mode', values: { 'publish-mode': 'vip' }, field: 'publish-mode' },
  ];
  for (const r of refused) {
    it(`refuses ${r.name}`, () => {
      let err: unknown;
      try {
        settings(r.values, r.env);
      } catch (e: unknown) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect(String(err)).toContain(r.field);
    });
  }

  it('takes nginx too (HAProxy stays the default)', () => {
    expect(settings({ lb: 'nginx' })).toMatchObject({
      lb: 'nginx',
      lbImage: 'nginx:alpine',
      engine: 'swarm',
    });
  });

  it('takes an ssh:// manager; the preview probe goes to its host', () => {
    const s = settings({}, { DOCKER_HOST: 'ssh://ci@manager.example:2222' });
    expect(s.swarm).toMatchObject({
      dockerHost: 'ssh://ci@manager.example:2222',
      publicHost: 'manager.example',
    });
  });

  it('engine compose keeps nginx as the default and no swarm settings', () => {
    const s = getInputs(new InputReader(inputsFrom({ command: 'status' })), {}).settings;
    expect(s.lb).toBe('nginx');
    expect(s.swarm).toBeUndefined();
  });
});

describe('Docker endpoint', () => {
  const rows = [
    { name: 'unset: the local socket', host: undefined, expected: { socketPath: '/var/run/docker.sock' } },
    {
      name: 'unix socket',
      host: 'unix:///run/user/docker.sock',
      expected: { socketPath: '/run/user/docker.sock' },
    },
    { name: 'tcp with port', host: 'tcp://10.1.2.3:2376', expected: { host: '10.1.2.3', port: 2376 } },
    {
      name: 'tcp without port',
      host: 'tcp://manager.example',
      expected: { host: 'manager.example', port: 2375 },
    },
    { name: 'tcp IPv6', host: 'tcp://[fd00::1]:2375', expected: { host: 'fd00::1', port: 2375 } },
    {
      name: 'ssh with user and port',
      host: 'ssh://deploy@manager.example:2222',
      expected: { ssh: { host: 'manager.example', user: 'deploy', port: 2222 } },
    },
    { name: 'ssh host only', host: 'ssh://10.0.0.5', expected: { ssh: { host: '10.0.0.5' } } },
    { name: 'ssh IPv6', host: 'ssh://ci@[fd00::1]', expected: { ssh: { host: 'fd00::1', user: 'ci' } } },
  ];
  for (const r of rows) it(r.name, () => expect(dockerEndpoint(r.host)).toMatchObject(r.expected));
  it('refuses TLS it cannot do, naming DOCKER_HOST', () =>
    expect(() => dockerEndpoint('tcp://a:2376', '1')).toThrow(/TLS/));
  it('ssh ignores DOCKER_TLS_VERIFY (the Docker CLI does too)', () =>
    expect(dockerEndpoint('ssh://m', '1').ssh).toEqual({ host: 'm' }));
  const hostile = [
    'ssh://-oProxyCommand=touch_x',
    'ssh://-l@host',
    'ssh://user@host/path',
    'ssh://user@host:0',
    'ssh://user@host:70000',
    'ssh://a b',
    'ssh://host\n-oProxyCommand=x',
    'ssh://$(id)@host',
    'ssh://',
  ];
  for (const h of hostile)
    it(`refuses ${JSON.stringify(h)} as bad input naming DOCKER_HOST`, () => {
      let err: unknown;
      try {
        dockerEndpoint(h);
      } catch (e: unknown) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect(String(err)).toMatch(/DOCKER_HOST: expected ssh:\/\/\[user@\]host\[:port\] \(no path\)/);
    });
  it('refuses port 0 and 70000', () => {
    expect(() => dockerEndpoint('tcp://a:0')).toThrow(UserError);
    expect(() => dockerEndpoint('tcp://a:70000')).toThrow(UserError);
  });
  it('demultiplexes a log stream (8-byte frame headers)', () => {
    const frame = (stream: number, text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(8);
      head[0] = stream;
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    expect(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n');
  });
});

describe('Swarm LB plan', () => {
  const s = settings({ port: '8080', 'publish-mode': 'host', env: 'A=$x y\nB=${Z}' });

  it('the HAProxy config finds replicas through Swarm DNS and keeps its map in the task', () => {
    const conf = swarmHaproxyConf(s, TOKEN);
    expect(conf).toContain('server-template blue 10 tasks.shop-blue:3000 check');
    expect(conf).toContain('server-template green 10 tasks.shop-green:3000 check');
    expect(conf).toContain('str(live),map(/tmp/shipkit-lb/routes.map,none)');
    expect(conf).not.toContain('/etc/shipkit-lb/routes.map');
  });

  it('the control frontend checks the token, takes only colour words, and refuses late requests', () => {
    const conf = swarmHaproxyConf(s, TOKEN);
    expect(conf).toContain(
      `http-request deny deny_status 403 unless { req.hdr(x-shipkit-token) -m str ${TOKEN} }`,
    );
    expect(conf).toMatch(
      /set-map\(\/tmp\/shipkit-lb\/routes\.map\) live %\[url_param\(live\)\] if route fresh \{ url_param\(live\) -m reg \^\(blue\|green\|none\)\$ \}/,
    );
    expect(conf).toContain('acl fresh var(txn.late) -m int lt 1');
    expect(tokenOf(conf)).toBe(TOKEN);
  });

  it('refuses a token that could break out of the config line', () => {
    expect(() => swarmHaproxyConf(s, 'abc } or { always_true')).toThrow(/32 hex/);
  });

  it('the LB service: global, config mounted, live/preview in the chosen mode, control always on the node', () => {
    const spec = lbServiceSpec(s, { id: 'cfg1', name: 'shop-bg-lb-x' }, { live: 'blue', preview: null });
    expect(spec).toMatchObject({
      Name: 'shop-lb',
      Labels: { 'io.shipkit.bluegreen.routes': 'live=blue preview=none' },
      Mode: { Global: {} },
      EndpointSpec: {
        Mode: 'dnsrr',
        Ports: [
          { TargetPort: 8080, PublishedPort: 8080, PublishMode: 'host' },
          { TargetPort: 8081, PublishedPort: 8081, PublishMode: 'host' },
          { TargetPort: 8082, PublishedPort: 8082, PublishMode: 'host' },
        ],
      },
    });
    const ingress = lbServiceSpec(settings(), { id: 'c', name: 'n' }, { live: null, preview: null });
    expect(
      (ingress.EndpointSpec as { Ports: { PublishMode: string }[] }).Ports.map((p) => p.PublishMode),
    ).toEqual(['ingress', 'ingress', 'host']);
  });

  it('a new LB task starts with the routes label, and only colour words reach its map', () => {
    const entry = lbEntry();
    expect(entry).toContain('*" live=green "*) live=green');
    expect(entry).not.toMatch(/\$SHIPKIT_ROUTES"? *>/); // the label itself is never written
    expect(parseRoutes(routesLabel({ live: 'green', preview: 'blue' }))).toEqual({
      live: 'green',
      preview: 'blue',
    });
    expect(parseRoutes('live=evil;rm preview=none')).toEqual({ live: null, preview: null });
  });

  it('a colour service: dnsrr, env byte for byte (no compose interpolation to escape)', () => {
    const spec = colourServiceSpec(s, 'green', 'registry/shop:2', '2');
    expect(spec.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual([
      'A=$x y',
      'B=${Z}',
      'APP_COLOUR=green',
      'APP_VERSION=2',
    ]);
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 2 } });
  });
});

describe('Swarm nodes and HAProxy stats', () => {
  it('reaches a manager that reports 0.0.0.0 at its manager address; drained nodes are not active', () => {
    const nodes = swarmNodes([
      {
        ID: 'b',
        Description: { Hostname: 'n2' },
        Spec: { Availability: 'drain' },
        Status: { State: 'ready', Addr: '10.0.0.2' },
      },
      {
        ID: 'a',
        Description: { Hostname: 'n1' },
        Spec: { Availability: 'active' },
        Status: { State: 'ready', Addr: '0.0.0.0' },
        ManagerStatus: { Addr: '10.0.0.1:2377' },
      },
      {
        ID: 'c',
        Description: { Hostname: 'n3' },
        Spec: { Availability: 'active' },
        Status: { State: 'down', Addr: '10.0.0.3' },
      },
    ]);
    expect(nodes).toEqual([
      { id: 'a', name: 'n1', addr: '10.0.0.1', ready: true, active: true },
      { id: 'b', name: 'n2', addr: '10.0.0.2', ready: true, active: false },
      { id: 'c', name: 'n3', addr: '10.0.0.3', ready: false, active: true },
    ]);
  });

  const csv = [
    '# pxname,svname,status,weight,addr',
    'blue,blue1,UP,1,10.0.1.5:3000',
    'blue,blue2,DOWN,1,10.0.1.6:3000',
    'blue,blue3,MAINT (resolution),1,',
    'green,green1,UP,1,10.0.1.9:3000',
    'blue,BACKEND,UP,1,',
    '',
  ].join('\n');
  it('lists the addresses a backend has UP', () => {
    expect(upAddresses(csv, 'blue')).toEqual(['10.0.1.5']);
    expect(upAddresses(csv, 'green')).toEqual(['10.0.1.9']);
    expect(upAddresses('garbage', 'blue')).toEqual([]);
  });
  it('names the slot UP at an address', () => {
    expect(slotAt(csv, 'blue', '10.0.1.5')).toBe('blue1');
    expect(slotAt(csv, 'blue', '10.0.1.6')).toBeUndefined();
  });
});
