import { describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../core/inputs.js';
import { parseConfig } from './configfile.js';
import { readTarget } from './spec.js';
import { getInputs } from './inputs.js';
import { userErrorOf } from '../../test/helpers/thrown.js';

const read = (values: Record<string, string>) => readTarget(new InputReader(inputsFrom(values)));
const none = inputsFrom({});

describe('readTarget: inputs into a validated target', () => {
  it('applies the defaults', () => {
    const t = read({ url: 'http://127.0.0.1:8080/' });
    expect(t).toMatchObject({
      name: 'http://127.0.0.1:8080/',
      method: 'GET',
      requests: 100,
      concurrency: 10,
      keepAlive: false,
      maxErrorRate: 0,
      minBackends: 1,
    });
    expect(t.backendFrom).toEqual({ kind: 'header', value: 'X-Served-By' });
    expect(t.expectStatus.ok(302)).toBe(true);
    expect(t.expectStatus.ok(502)).toBe(false);
    expect(t.stack).toBeUndefined();
    expect(t.failover).toBeUndefined();
  });

  it('reads headers, thresholds, stack and failover', () => {
    const t = read({
      url: 'https://lb.test/',
      'max-error-rate': '2.5%',
      'max-p95': '250ms',
      'backend-json': 'hostname',
      'forward-headers': 'X-Test=hello',
      'proxy-headers': 'X-NAME: lb-nginx\nX-Forwarded-For',
      'expect-response-headers': 'X-LB=nginx',
      'expect-backends-from-stack': 'true',
      'project-name': 'shop',
      'compose-files': 'a.yml,b.yml',
      failover: 'true',
      'failover-timeout': '5s',
    });
    expect(t.maxErrorRate).toBeCloseTo(0.025);
    expect(t.latency.p95).toBe(250);
    expect(t.backendFrom).toEqual({ kind: 'json', value: 'hostname' });
    expect(t.headers).toEqual({ 'X-Test': 'hello' });
    expect(t.forwardHeaders).toEqual({ 'x-test': 'hello' });
    expect(t.proxyHeaders).toEqual({ 'x-name': 'lb-nginx', 'x-forwarded-for': undefined });
    expect(t.responseHeaders).toEqual({ 'x-lb': 'nginx' });
    expect(t.stack).toEqual({
      project: 'shop',
      service: 'app',
      files: ['a.yml', 'b.yml'],
      directory: undefined,
      envFiles: [],
      engine: 'compose',
    });
    expect(t.failover).toEqual({ timeoutMs: 5000, maxErrors: 0, scaleUp: true, drain: false });
  });

  const bad: { name: string; values: Record<string, string>; field: string; message: string }[] = [
    { name: 'missing url', values: {}, field: 'input "url"', message: 'is required' },
    {
      name: 'ftp url',
      values: { url: 'ftp://x/' },
      field: 'input "url"',
      message: 'expected an http:// or https:// URL',
    },
    {
      name: 'bad status spec',
      values: { url: 'http://x/', 'expect-status': 'ok' },
      field: 'input "expect-status"',
      message: 'expected status codes',
    },
    {
      name: 'error rate over 1',
      values: { url: 'http://x/', 'max-error-rate': '5' },
      field: 'input "max-error-rate"',
      message: 'expected a rate',
    },
    {
      name: 'two backend sources',
      values: { url: 'http://x/', 'backend-json': 'a', 'backend-header': 'b' },
      field: 'input "backend-header"',
      message: 'give only one',
    },
    {
      name: 'url with a line break (the URL parser would drop it, the log would not)',
      values: { url: 'http://x/a\n::warning title=X::b' },
      field: 'input "url"',
      message: 'holds a control character',
    },
    {
      name: 'url with a tab',
      values: { url: 'http://x/\tb' },
      field: 'input "url"',
      message: 'holds a control character',
    },
    {
      name: 'bad regex',
      values: { url: 'http://x/', 'backend-regex': '(' },
      field: 'input "backend-regex"',
      message: 'not a valid regular expression',
    },
    {
      name: 'stack without project',
      values: { url: 'http://x/', 'expect-backends-from-stack': 'true' },
      field: 'input "project-name"',
      message: 'is required',
    },
    {
      name: 'bad tls version',
      values: { url: 'https://x/', 'tls-min-version': 'SSLv3' },
      field: 'input "tls-min-version"',
      message: 'unknown value "SSLv3"',
    },
    {
      name: 'an invalid header name',
      values: { url: 'http://x/', headers: 'X Bad=1' },
      field: 'input "headers"',
      message: 'not a valid header name: "X Bad"',
    },
    {
      name: 'a header name with a colon',
      values: { url: 'http://x/', 'forward-headers': 'X-A:b=1' },
      field: 'input "forward-headers"',
      message: 'not a valid header name: "X-A:b"',
    },
    {
      name: 'a header value with a control character',
      values: { url: 'http://x/', headers: 'X-A=a\rInjected: 1' },
      field: 'input "headers"',
      message: 'the value of header X-A contains a control character',
    },
    {
      name: 'an invalid backend header name',
      values: { url: 'http://x/', 'backend-header': 'X Served By' },
      field: 'input "backend-header"',
      message: 'not a valid header name',
    },
    {
      name: 'a zero request timeout',
      values: { url: 'http://x/', timeout: '0' },
      field: 'input "timeout"',
      message: 'must be more than 0',
    },
    {
      name: 'bad header item',
      values: { url: 'http://x/', 'proxy-headers': 'not a header' },
      field: 'input "proxy-headers"',
      message: 'expected "Header"',
    },
  ];
  for (const r of bad) {
    it(`rejects ${r.name}, naming the input`, () => {
      const err = userErrorOf(() => read(r.values));
      expect(err.location.field).toBe(r.field);
      expect(err.message).toContain(r.message);
    });
  }
});

describe('parseConfig: several targets from YAML', () => {
  it('layers target over defaults over step inputs', () => {
    const text = [
      'defaults:',
      '  requests: 20',
      '  proxy-headers:',
      '    - "X-NAME: lb-nginx"',
      'targets:',
      '  - name: a',
      '    url: http://127.0.0.1:1/',
      '  - url: http://127.0.0.1:2/',
      '    requests: 5',
      '    headers:',
      '      X-A: one',
      '',
    ].join('\n');
    const targets = parseConfig(text, 'smoke.yml', inputsFrom({ concurrency: 3 }));
    expect(targets.map((t) => [t.name, t.requests, t.concurrency])).toEqual([
      ['a', 20, 3],
      ['http://127.0.0.1:2/', 5, 3],
    ]);
    expect(targets[0].proxyHeaders).toEqual({ 'x-name': 'lb-nginx' });
    expect(targets[1].headers).toEqual({ 'X-A': 'one' });
  });

  const bad = [
    {
      name: 'a bad value',
      text: 'targets:\n  - url: http://x/\n    requests: many\n',
      line: 3,
      field: 'targets[0].requests',
      message: 'expected a whole number',
    },
    {
      name: 'a bad default',
      text: 'defaults:\n  concurrency: 0\ntargets:\n  - url: http://x/\n',
      line: 2,
      field: 'defaults.concurrency',
      message: 'expected a number from 1',
    },
    {
      name: 'an unknown key',
      text: 'targets:\n  - url: http://x/\n    reqests: 5\n',
      line: 3,
      field: 'targets[0].reqests',
      message: 'unknown key "reqests"',
    },
    {
      name: 'a target without url',
      text: 'targets:\n  - url: http://x/\n  - name: b\n',
      line: 3,
      field: 'targets[1].url',
      message: 'is required',
    },
    { name: 'no targets', text: 'defaults: {}\n', line: 1, field: 'targets', message: 'non-empty list' },
    {
      name: 'broken YAML',
      text: 'targets:\n  - url: [\n',
      line: 3,
      field: undefined,
      message: 'invalid YAML',
    },
  ];
  for (const r of bad) {
    it(`names file, line and field for ${r.name}`, () => {
      const err = userErrorOf(() => parseConfig(r.text, 'smoke.yml', none));
      expect(err.location.file).toBe('smoke.yml');
      expect(err.location.line).toBe(r.line);
      expect(err.location.field).toBe(r.field);
      expect(err.message).toContain(r.message);
    });
  }
});

describe('stack project in CI (the environment fallback of project-name, read by getInputs)', () => {
  const viaStep = (values: Record<string, string>, env: Record<string, string>) =>
    getInputs(new InputReader(inputsFrom(values)), readTarget, env).targets![0];
  it('defaults to the name `shipkit stack up` gives the stack in the same GitLab job', () => {
    const env = { GITLAB_CI: 'true', CI_PIPELINE_ID: '4711', CI_JOB_ID: '99' };
    const t = viaStep({ url: 'http://127.0.0.1:1/', 'expect-backends-from-stack': 'true' }, env);
    expect(t.stack?.project).toBe('shipkit-4711-99');
  });
  it('still asks for it locally, where the stack name is random', () => {
    expect(() => viaStep({ url: 'http://127.0.0.1:1/', failover: 'true' }, {})).toThrow(
      /is required with expect-backends-from-stack or failover/,
    );
  });

  it('engine swarm: tasks of <project>_<service>, every node by default; draining needs swarm', () => {
    const t = readTarget(
      new InputReader(
        inputsFrom({ url: 'http://m1:8080/', engine: 'swarm', failover: 'true', 'project-name': 'p' }),
      ),
    );
    expect(t.engine).toBe('swarm');
    expect(t.eachNode).toBe(true);
    expect(t.stack?.engine).toBe('swarm');
    expect(() => readTarget(new InputReader(inputsFrom({ url: 'http://h/', engine: 'k8s' })))).toThrow(
      /unknown value "k8s"/,
    );
    expect(() =>
      readTarget(new InputReader(inputsFrom({ url: 'http://h/', 'failover-drain': 'true' }))),
    ).toThrow(/drains a swarm node: it needs engine swarm/);
  });

  it('reads no process environment below getInputs: readTarget alone never guesses the project', () => {
    expect(() => read({ url: 'http://127.0.0.1:1/', failover: 'true' })).toThrow(/is required/);
  });
});
