import { describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../../core/inputs.js';
import { UserError } from '../../core/errors.js';
import { getInputs } from '../step.js';
import type { AppSettings } from '../plan.js';
import { nginxTask, swarmNginxConf, swarmNginxEntry } from './nginx.js';
import { liveAnswer } from './nodes.js';
import { lbServiceSpec, tokenOf } from './plan.js';

const TOKEN = '0123456789abcdef0123456789abcdef';

function settings(values: Record<string, string> = {}): AppSettings {
  return getInputs(
    new InputReader(inputsFrom({ command: 'status', name: 'shop', engine: 'swarm', lb: 'nginx', ...values })),
    { DOCKER_HOST: 'tcp://10.0.0.5:2375' },
  ).settings;
}

/** The lines of the config that hold `word`, trimmed. */
const linesWith = (conf: string, word: string) =>
  conf
    .split('\n')
    .filter((l) => l.includes(word))
    .map((l) => l.trim());

describe('nginx on Swarm: the config of every LB task', () => {
  const s = settings({ port: '8080', 'publish-mode': 'host', 'app-port': '3000' });
  const conf = swarmNginxConf(s, TOKEN);

  const rows: { name: string; word: string; expected: string[] }[] = [
    {
      name: 'replicas come from Swarm DNS at request time, re-resolved every second',
      word: 'tasks.',
      expected: ['set $shipkit_backend tasks.shop-blue;', 'set $shipkit_backend tasks.shop-green;'],
    },
    {
      name: 'through the embedded DNS server',
      word: 'resolver ',
      expected: ['resolver 127.0.0.11 valid=1s ipv6=off;'],
    },
    {
      name: 'the listeners proxy to route links in the task’s own folder (the single host’s servers)',
      word: 'proxy_pass http://unix:/tmp/shipkit-lb/',
      expected: [
        'proxy_pass http://unix:/tmp/shipkit-lb/live.sock:;',
        'proxy_pass http://unix:/tmp/shipkit-lb/preview.sock:;',
        'proxy_pass http://unix:/tmp/shipkit-lb/live.sock:/__shipkit/lb;',
        'proxy_pass http://unix:/tmp/shipkit-lb/preview.sock:/__shipkit/lb;',
        'proxy_pass http://unix:/tmp/shipkit-lb/c-blue-dns.sock:;',
        'proxy_pass http://unix:/tmp/shipkit-lb/c-green-dns.sock:;',
      ],
    },
    {
      name: 'a switch reaches the route agent only through the FIFO, only when asked with arguments',
      word: 'access_log /',
      expected: ['access_log /tmp/shipkit-lb/control.fifo shipkit_route if=$shipkit_set;'],
    },
    {
      name: 'the control port checks the token before any location',
      word: '$shipkit_ok = 0',
      expected: ['if ($shipkit_ok = 0) { return 403 "control token required\\n"; }'],
    },
  ];
  for (const r of rows) it(r.name, () => expect(linesWith(conf, r.word)).toEqual(r.expected));

  it('listens on the LB ports and the fixed control port only', () => {
    expect(linesWith(conf, 'listen ').filter((l) => !l.includes('unix:'))).toEqual([
      'listen 8080;',
      'listen 8081;',
      'listen 8082;',
    ]);
  });

  it('the token is read back from the config (a runner that did not create the LB reaches it)', () => {
    expect(tokenOf(conf)).toBe(TOKEN);
  });

  it('never holds the health path (it travels in requests) nor the env values', () => {
    const odd = settings({ 'health-path': '/h$host;evil', env: 'A=${X}\nB=$(id)' });
    const c = swarmNginxConf(odd, TOKEN);
    expect(c).not.toContain('evil');
    expect(c).not.toContain('$(id)');
    expect(c).not.toContain('${X}');
  });

  const hostile: { name: string; s: Partial<AppSettings>; token?: string; error: RegExp }[] = [
    {
      name: 'a token that breaks out of its map line',
      s: {},
      token: `${TOKEN}" 1; } evil {`,
      error: /32 hex/,
    },
    { name: 'a name with a directive', s: { name: 'x; return 200' }, error: /app name/ },
    { name: 'a name with a newline', s: { name: 'x\nserver {' }, error: /app name/ },
    { name: 'a name with a variable', s: { name: '${evil}' }, error: /app name/ },
    { name: 'a name with a path', s: { name: '../etc' }, error: /app name/ },
    { name: 'an app port that is not an integer', s: { appPort: 1e3 + 0.5 }, error: /not a port/ },
    { name: 'an app port out of range', s: { appPort: 70000 }, error: /not a port/ },
    { name: 'an lb-snippet', s: { lbSnippet: ['return 200;'] }, error: /lb-snippet/ },
  ];
  for (const h of hostile) {
    it(`refuses ${h.name}, whatever the caller checked`, () => {
      expect(() => swarmNginxConf({ ...s, ...h.s }, h.token ?? TOKEN)).toThrow(h.error);
    });
  }

  const inputs: { name: string; values: Record<string, string>; field: string }[] = [
    { name: 'a name with a newline', values: { name: 'shop\nserver' }, field: 'input "name"' },
    { name: 'a name with $', values: { name: 'shop$x' }, field: 'input "name"' },
    { name: 'an exponent port', values: { port: '1e3' }, field: 'port' },
    { name: 'a health path with a newline', values: { 'health-path': '/h\nlisten 1' }, field: 'health-path' },
    { name: 'a health path with a quote', values: { 'health-path': "/h'x" }, field: 'health-path' },
    { name: 'an lb-snippet', values: { 'lb-snippet': 'return 200;' }, field: 'lb-snippet' },
  ];
  for (const r of inputs) {
    it(`input: refuses ${r.name} (exit 2, naming the field)`, () => {
      let err: unknown;
      try {
        settings(r.values);
      } catch (e: unknown) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect(String(err)).toContain(r.field);
    });
  }
});

describe('nginx on Swarm: the task', () => {
  it('a new task starts with the routes label; only colour words reach its links', () => {
    const entry = swarmNginxEntry();
    expect(entry).toContain('*" live=green "*) live=green');
    expect(entry).toContain('case "$l" in blue|green|none) ;; *) continue ;; esac');
    expect(entry).toContain('case "$p" in blue|green|none) ;; *) continue ;; esac');
    expect(entry).not.toMatch(/ln -s[^\n]*\$SHIPKIT_ROUTES/);
    // A switch is honoured until its deadline only.
    expect(entry).toContain('[ "${t%.*}" -gt "$u" ]');
    expect(swarmNginxConf(settings(), TOKEN)).toContain(
      "log_format shipkit_route '$arg_live $arg_preview $arg_until $msec';",
    );
  });

  it('the service: nginx config mounted, hostname of the node (what nginx reports), global', () => {
    const s = settings();
    const spec = lbServiceSpec(
      s,
      { id: 'c1', name: 'shop-bg-lb-x' },
      { live: 'green', preview: null },
      nginxTask(),
    );
    const c = (spec.TaskTemplate as { ContainerSpec: Record<string, unknown> }).ContainerSpec;
    expect(c).toMatchObject({
      Hostname: '{{.Node.Hostname}}',
      Command: ['sh', '-c', swarmNginxEntry()],
      Configs: [{ File: { Name: '/etc/shipkit-lb/nginx.conf' }, ConfigID: 'c1' }],
    });
    expect(spec).toMatchObject({
      Mode: { Global: {} },
      Labels: { 'io.shipkit.bluegreen.routes': 'live=green preview=none' },
    });
  });

  it('reads the live colour from either LB’s answer', () => {
    expect(liveAnswer('colour=green\n')).toBe('green');
    expect(liveAnswer('live=blue\n')).toBe('blue');
    expect(liveAnswer('colour=none\n')).toBeNull();
    expect(liveAnswer('colour=evil')).toBeNull();
  });
});
