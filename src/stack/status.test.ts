import { describe, expect, it } from 'vitest';
import { selectGarbage, type Resource } from './resources.js';
import { sortByTimestamp, TailBuffer } from './logs.js';
import { dropUnstarted } from './wait.js';
import { composeCause, serviceInComposeError } from './up.js';
import {
  containerState,
  describeService,
  failureReasons,
  progressLines,
  serviceStates,
  type ContainerInfo,
} from './status.js';

function box(
  name: string,
  service: string,
  state: Partial<ContainerInfo['State']>,
  restarts = 0,
): ContainerInfo {
  return {
    Id: `id-${name}`,
    Name: `/${name}`,
    RestartCount: restarts,
    Config: { Labels: { 'com.docker.compose.service': service } },
    State: { Status: 'running', ExitCode: 0, ...state },
  };
}

const healthy = { Health: { Status: 'healthy' } };
const starting = { Health: { Status: 'starting' } };

describe('container and service states', () => {
  const rows: { name: string; info: ContainerInfo; phase: string; reason?: string }[] = [
    { name: 'created', info: box('a', 's', { Status: 'created' }), phase: 'starting' },
    { name: 'running without healthcheck', info: box('a', 's', {}), phase: 'running' },
    { name: 'health starting', info: box('a', 's', starting), phase: 'starting' },
    { name: 'healthy', info: box('a', 's', healthy), phase: 'healthy' },
    { name: 'one-shot exit 0', info: box('a', 's', { Status: 'exited', ExitCode: 0 }), phase: 'completed' },
    {
      name: 'exit 3',
      info: box('a', 's', { Status: 'exited', ExitCode: 3 }),
      phase: 'exited',
      reason: 'exited with code 3',
    },
    {
      name: 'OOM',
      info: box('a', 's', { Status: 'exited', ExitCode: 137, OOMKilled: true }),
      phase: 'exited',
      reason: 'exited with code 137 (killed: out of memory)',
    },
    {
      name: 'unhealthy, with the last probe output',
      info: box('a', 's', {
        Health: { Status: 'unhealthy', Log: [{ ExitCode: 1, Output: 'curl: (7) refused\n' }] },
      }),
      phase: 'unhealthy',
      reason: 'healthcheck failing (exit 1: curl: (7) refused)',
    },
    {
      name: 'restarting once',
      info: box('a', 's', { Status: 'restarting', ExitCode: 1 }, 1),
      phase: 'restarting',
    },
    {
      name: 'crash loop',
      info: box('a', 's', { Status: 'restarting', ExitCode: 2 }, 3),
      phase: 'restarting',
      reason: 'keeps restarting (3 restarts, last exit code 2)',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const c = containerState(row.info);
      expect(c.phase).toBe(row.phase);
      expect(c.reason).toBe(row.reason);
      expect(c.name).toBe('a');
    });
  }

  it('a service is ready only with all its replicas ready', () => {
    const expected = new Map([
      ['app', 3],
      ['lb', 1],
    ]);
    const two = serviceStates(expected, [
      box('p_app_1', 'app', healthy),
      box('p_app_2', 'app', healthy),
      box('p_lb_1', 'lb', {}),
    ]);
    expect(two.map((s) => [s.service, s.ready, s.failed])).toEqual([
      ['app', false, false],
      ['lb', true, false],
    ]);
    expect(describeService(two[0])).toBe('app: 2 healthy, 1 not created');
    const three = serviceStates(expected, [
      box('p_app_1', 'app', healthy),
      box('p_app_2', 'app', starting),
      box('p_app_3', 'app', healthy),
    ]);
    expect(describeService(three[0])).toBe('app: 2 healthy, 1 starting');
    expect(three[0].ready).toBe(false);
  });

  it('one failing replica fails the service and is named', () => {
    const states = serviceStates(new Map([['app', 2]]), [
      box('p_app_1', 'app', healthy),
      box('p_app_2', 'app', { Status: 'exited', ExitCode: 3 }),
    ]);
    expect(states[0].failed).toBe(true);
    expect(failureReasons(states)).toEqual(['service app (p_app_2): exited with code 3']);
  });
});

describe('progressLines', () => {
  const expected = new Map([
    ['app', 2],
    ['lb', 1],
  ]);
  const s1 = serviceStates(expected, [box('a1', 'app', starting), box('a2', 'app', starting)]);
  const s2 = serviceStates(expected, [box('a1', 'app', healthy), box('a2', 'app', starting)]);

  it('prints every service the first time', () => {
    const p = progressLines(new Map(), s1, 1200, false);
    expect(p.lines).toEqual(['[1.2s] app: 2 starting', '[1.2s] lb: 1 not created']);
  });
  it('prints only what changed', () => {
    const first = progressLines(new Map(), s1, 0, false);
    expect(progressLines(first.current, s2, 2500, false).lines).toEqual([
      '[2.5s] app: 1 healthy, 1 starting',
    ]);
  });
  it('prints nothing when nothing changed, and a heartbeat when due', () => {
    const first = progressLines(new Map(), s1, 0, false);
    expect(progressLines(first.current, s1, 3000, false).lines).toEqual([]);
    expect(progressLines(first.current, s1, 10_000, true).lines).toEqual([
      '[10.0s] still waiting: app: 2 starting; lb: 1 not created',
    ]);
  });
});

describe('gc selection', () => {
  const now = 1_700_010_000_000;
  const r = (id: string, project: string, owner: string, ageS: number): Resource => ({
    kind: 'container',
    id,
    project,
    owner,
    created: now / 1000 - ageS,
  });
  const items = [
    r('old', 'skstack-1', 'me', 3 * 3600),
    r('new', 'skstack-2', 'me', 60),
    r('other', 'bg-1', 'me', 9999),
    r('theirs', 'skstack-3', 'you', 9999),
    { ...r('nolabel', 'skstack-4', 'me', 0), created: NaN },
  ];
  const rows = [
    {
      name: 'age and prefix',
      f: { olderThanMs: 2 * 3600_000, nowMs: now, projectPrefix: 'skstack-' },
      ids: ['old', 'theirs'],
    },
    {
      name: 'age, prefix and owner',
      f: { olderThanMs: 2 * 3600_000, nowMs: now, projectPrefix: 'skstack-', owner: 'me' },
      ids: ['old'],
    },
    {
      name: 'zero age takes all labelled of the prefix',
      f: { olderThanMs: 0, nowMs: now, projectPrefix: 'skstack-' },
      ids: ['old', 'new', 'theirs'],
    },
  ];
  for (const row of rows)
    it(row.name, () => expect(selectGarbage(items, row.f).map((i) => i.id)).toEqual(row.ids));
});

describe('TailBuffer', () => {
  it('keeps the last bytes under the cap and says how much it dropped', () => {
    const b = new TailBuffer(10);
    for (const l of ['aaaa', 'bbbb', 'cccc']) b.push(l);
    expect(b.text()).toBe('[shipkit: 5 earlier bytes dropped, cap 10 bytes]\nbbbb\ncccc\n');
  });
});

describe('serviceInComposeError', () => {
  const rows = [
    {
      text: 'ERROR: for lb  Cannot start service lb: driver failed programming external connectivity',
      svc: 'lb',
    },
    { text: 'Error response from daemon: failed to create container for service web: x', svc: 'web' },
    { text: ' Container p-lb-1  Error response from daemon: port is already allocated', svc: 'p-lb' },
    { text: 'something else', svc: undefined },
  ];
  for (const row of rows) it(row.text, () => expect(serviceInComposeError(row.text)).toBe(row.svc));
});

describe('composeCause', () => {
  const rows = [
    {
      name: 'v1 userland proxy',
      text: 'Creating p_lb_1 ... error\nERROR: for lb  Cannot start service lb: driver failed programming external connectivity on endpoint p_lb_1 (0816): Error starting userland proxy: listen tcp4 127.0.0.1:15351: bind: address already in use\nEncountered errors while bringing up the project.\n',
      cause: 'host port 127.0.0.1:15351 is already in use',
    },
    {
      name: 'another container holds the port',
      text: 'ERROR: for web  Cannot start service web: driver failed programming external connectivity on endpoint x: Bind for 0.0.0.0:8080 failed: port is already allocated\nEncountered errors while bringing up the project.',
      cause: 'host port 0.0.0.0:8080 is already in use',
    },
    {
      name: 'anything else',
      text: 'ERROR: for app  Cannot start service app: OCI runtime create failed\nEncountered errors while bringing up the project.',
      cause: 'Cannot start service app: OCI runtime create failed',
    },
  ];
  for (const row of rows) it(row.name, () => expect(composeCause(row.text)).toBe(row.cause));

  it('sorts timestamped log lines, padding trimmed fractions', () => {
    const lines = [
      '2026-01-01T00:00:01.24010968Z b',
      '2026-01-01T00:00:01.240109688Z c',
      '2026-01-01T00:00:01.2401Z a',
      'continuation of a',
    ];
    expect(sortByTimestamp(lines)).toEqual([
      '2026-01-01T00:00:01.2401Z a',
      'continuation of a',
      '2026-01-01T00:00:01.24010968Z b',
      '2026-01-01T00:00:01.240109688Z c',
    ]);
  });
});

describe('dropUnstarted', () => {
  it('stops expecting services that have no container once compose up returned', () => {
    const expected = new Map([
      ['app', 3],
      ['blue', 1],
      ['lb', 1],
    ]);
    dropUnstarted(expected, [box('a1', 'app', {}), box('l1', 'lb', {})]);
    expect([...expected.keys()]).toEqual(['app', 'lb']);
  });
});
