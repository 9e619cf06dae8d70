import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerApi, dockerEndpoint } from './api.js';
import { sshArgs, sshFailure, sshLabel } from './ssh.js';

describe('ssh transport of the Engine API', () => {
  // No password prompt, a bounded connect, no terminal; then the host after `--` and the remote command.
  const OPTIONS = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T'];
  const DIAL = ['docker', 'system', 'dial-stdio'];
  const argRows = [
    {
      name: 'user and port from the URL, BatchMode, host after --',
      target: { host: 'manager.example', user: 'deploy', port: 2222 },
      expected: [...OPTIONS, '-l', 'deploy', '-p', '2222', '--', 'manager.example', ...DIAL],
    },
    {
      name: 'host only: ssh config decides user and port',
      target: { host: '10.0.0.5' },
      expected: [...OPTIONS, '--', '10.0.0.5', ...DIAL],
    },
  ];
  for (const r of argRows) it(r.name, () => expect(sshArgs(r.target)).toEqual(r.expected));

  it('labels IPv6 hosts in brackets', () =>
    expect(sshLabel({ host: 'fd00::1', user: 'ci', port: 22 })).toBe('ci@[fd00::1]:22'));

  const t = { host: 'mgr', user: 'ci', port: 2222 };
  const failRows = [
    {
      name: 'ssh missing here',
      args: [null, '', 'ENOENT'] as const,
      expected: /^ssh to ci@mgr:2222: cannot run ssh here \(ENOENT\)/,
    },
    {
      name: 'login refused',
      args: [255, 'ci@mgr: Permission denied (publickey).\n', undefined] as const,
      expected: /^ssh to ci@mgr:2222: the login was refused \(ci@mgr: Permission denied \(publickey\)\.\)/,
    },
    {
      name: 'unknown host key',
      args: [255, 'Host key verification failed.\n', undefined] as const,
      expected: /host key is unknown or changed/,
    },
    {
      name: 'docker missing on the remote',
      args: [127, 'bash: line 1: docker: command not found\n', undefined] as const,
      expected:
        /^ssh to ci@mgr:2222: docker is not installed on that host \(bash: line 1: docker: command not found\)/,
    },
    {
      name: 'an old docker CLI there',
      args: [
        1,
        "docker: 'system dial-stdio' is not a docker command.\nunknown command\n",
        undefined,
      ] as const,
      expected: /cannot relay the Engine API/,
    },
    {
      name: 'no route: ssh says why',
      args: [255, 'ssh: connect to host mgr port 2222: Connection refused\n', undefined] as const,
      expected:
        /^ssh to ci@mgr:2222 failed \(exit 255\): ssh: connect to host mgr port 2222: Connection refused$/,
    },
  ];
  for (const r of failRows)
    it(`names the host and the cause: ${r.name}`, () =>
      expect(sshFailure(t, r.args[0], r.args[1], r.args[2])).toMatch(r.expected));

  describe('without an ssh client on PATH', () => {
    const path = process.env.PATH;
    const empty = mkdtempSync(join(tmpdir(), 'sk-nossh-'));
    afterEach(() => {
      process.env.PATH = path;
      rmSync(empty, { recursive: true, force: true });
    });
    it('a call fails naming the host and the missing ssh', async () => {
      process.env.PATH = empty;
      const api = new DockerApi(dockerEndpoint('ssh://ci@manager.example:2222'));
      await expect(api.get('/info', 5000, 0)).rejects.toThrow(
        /GET \/info on ssh:\/\/ci@manager\.example:2222: ssh to ci@manager\.example:2222: cannot run ssh here/,
      );
      api.close();
    });
  });
});
