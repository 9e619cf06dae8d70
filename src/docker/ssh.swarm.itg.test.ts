import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../core/inputs.js';
import { MemoryPlatform } from '../platform/memory.js';
import { getInputs, runBlueGreen } from '../blue-green/step.js';
import { httpGet } from '../blue-green/probe.js';
import { runSmoke } from '../smoke/index.js';
import { buildImages, failure, testApp } from '../../test/blue-green/helpers.js';
import { networksGone, rigConfig, rigMissing, rigUp } from '../../test/helpers/swarm-rig.js';
import { DockerApi, dockerEndpoint, filters } from './api.js';

// DOCKER_HOST=ssh://user@manager for engine swarm, for real: an sshd inside rig node 1 (the node image
// has openssh-server; only this test starts it), a key made here, and a blue-green deploy, promote and
// status that reach the manager through `ssh … docker system dial-stdio` only.
const rig = rigConfig();
const missing = rigMissing(rig);
const sshMissing = (() => {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'no ssh client on this host (scripts/setup-host.sh installs openssh-client)';
  }
})();
const skip = missing ?? sshMissing;
const n1 = rig.nodes[0];
const USER = 'shipkit';
const PORT_OK = 2222;
/** A second sshd whose sessions find no docker on PATH. */
const PORT_NODOCKER = 2223;
const NAME = 'skbg-ssh';
const PORT = 28180;
const tmp = mkdtempSync(join(tmpdir(), 'sk-ssh-'));
const { dir, values } = testApp('haproxy', PORT, NAME, {
  engine: 'swarm',
  'publish-mode': 'host',
  'bind-address': '0.0.0.0',
  'health-timeout': '90s',
});
const host = (port: number) => `ssh://${USER}@${n1.ip}:${port}`;
const onHost = (args: string[]) =>
  execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: '' }, encoding: 'utf8' });
const inNode = (script: string) => onHost(['exec', n1.name, 'sh', '-c', script]);

/**
 * A directory with an `ssh` that runs the real one with this test's config: which key, which
 * known_hosts (users have theirs in ~/.ssh; the test may not touch the host's).
 */
function sshWith(key: string): string {
  const bin = join(tmp, `bin-${key}`);
  mkdirSync(bin);
  const real = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
  const conf = join(tmp, `config-${key}`);
  writeFileSync(
    conf,
    `Host *\n  IdentityFile ${join(tmp, key)}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${join(tmp, 'known_hosts')}\n`,
  );
  writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec ${real} -F ${conf} "$@"\n`);
  chmodSync(join(bin, 'ssh'), 0o755);
  return bin;
}

/** A command in-process against `dockerHost`, with `bin`'s ssh first on PATH. */
async function run(command: string, dockerHost: string, bin: string, extra: Record<string, string> = {}) {
  const platform = new MemoryPlatform();
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    const inputs = getInputs(new InputReader(inputsFrom({ ...values, ...extra, command })), {
      DOCKER_HOST: dockerHost,
    });
    await runBlueGreen(inputs, platform, runSmoke);
    return platform;
  } finally {
    process.env.PATH = path;
  }
}

async function colourOn(ip: string): Promise<string> {
  const a = await httpGet(`http://${ip}:${PORT}/`, {}, 3000).catch((e: Error) => e);
  return a instanceof Error ? a.message : String(a.headers['x-colour'] ?? `HTTP ${a.status}`);
}

describe.skipIf(skip)(`DOCKER_HOST=ssh:// for engine swarm${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ok = '';
  let refused = '';
  beforeAll(() => {
    buildImages(values['lb-image']);
    rigUp(rig, [values['lb-image'], 'skbg-itg-app:1', 'skbg-itg-app:2']);
    for (const k of ['key', 'otherkey'])
      execFileSync('ssh-keygen', [
        '-q',
        '-t',
        'ed25519',
        '-N',
        '',
        '-C',
        `shipkit-test-${k}`,
        '-f',
        join(tmp, k),
      ]);
    const pub = execFileSync('cat', [join(tmp, 'key.pub')], { encoding: 'utf8' }).trim();
    // A user in the docker group (the node's socket is root:docker), the test key, two sshds.
    inNode(
      [
        `id ${USER} >/dev/null 2>&1 || useradd -m -s /bin/bash -G docker ${USER}`,
        `mkdir -p /home/${USER}/.ssh /run/sshd`,
        `printf '%s\\n' '${pub}' > /home/${USER}/.ssh/authorized_keys`,
        `chown -R ${USER} /home/${USER}/.ssh && chmod 700 /home/${USER}/.ssh`,
        'test -f /etc/ssh/ssh_host_ed25519_key || ssh-keygen -A',
        `/usr/sbin/sshd -p ${PORT_OK} -o PasswordAuthentication=no -o PidFile=/run/sk-sshd-ok.pid`,
        `/usr/sbin/sshd -p ${PORT_NODOCKER} -o PasswordAuthentication=no -o PidFile=/run/sk-sshd-nodocker.pid -o SetEnv=PATH=/nonexistent`,
      ].join(' && '),
    );
    const hostKey = inNode('cat /etc/ssh/ssh_host_ed25519_key.pub').trim().split(' ').slice(0, 2).join(' ');
    writeFileSync(
      join(tmp, 'known_hosts'),
      [PORT_OK, PORT_NODOCKER].map((p) => `[${n1.ip}]:${p} ${hostKey}\n`).join(''),
    );
    ok = sshWith('key');
    refused = sshWith('otherkey');
  }, 300_000);

  afterAll(async () => {
    try {
      await run('destroy', rig.manager, ok).catch((err: Error) =>
        console.log(`[ssh] destroy: ${err.message}`),
      );
      const api = new DockerApi(dockerEndpoint(rig.manager));
      const left = await api.get<{ ID: string }[]>(
        `/configs?${filters({ label: [`io.shipkit.bluegreen.state-of=${NAME}`] })}`,
      );
      for (const c of left) await api.delete(`/configs/${c.ID}`);
      await networksGone(rig, [`${NAME}-net`]);
    } finally {
      // sshd and the user go with the node; stop them anyway: the rig may be kept (SWARM_RIG_KEEP=1).
      try {
        inNode(
          `for p in /run/sk-sshd-*.pid; do [ -f "$p" ] && kill "$(cat "$p")"; done; userdel -f -r ${USER} 2>/dev/null; true`,
        );
      } catch {
        /* node gone */
      }
      rmSync(tmp, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  // The failures first: the commands after them reuse kept-alive ssh connections of the same DOCKER_HOST.
  it('a key the manager does not accept: fails naming the host and the refused login, no prompt', async () => {
    const err = await failure(run('status', host(PORT_OK), refused));
    expect(err.message).toMatch(
      new RegExp(
        `ssh to ${USER}@${n1.ip.replace(/\./g, '\\.')}:${PORT_OK}: the login was refused \\(.*Permission denied`,
      ),
    );
  });

  it('no docker on the remote PATH: fails naming the host and the missing docker', async () => {
    const err = await failure(run('status', host(PORT_NODOCKER), ok));
    expect(err.message).toMatch(
      new RegExp(
        `ssh to ${USER}@${n1.ip.replace(/\./g, '\\.')}:${PORT_NODOCKER}: docker is not installed on that host \\(.*docker: .*not found`,
      ),
    );
  });

  it('deploy, promote and status through ssh://user@manager:port only', async () => {
    const via = host(PORT_OK);
    await run('deploy', via, ok, { image: 'skbg-itg-app:1' });
    const p = await run('promote', via, ok);
    expect(p.outputs.get('switch-ms')).toMatch(/^\d+$/);
    expect(await Promise.all(rig.nodes.map((n) => colourOn(n.ip)))).toEqual(rig.nodes.map(() => 'blue'));
    const status = await run('status', via, ok, { format: 'json' });
    const report = JSON.parse(status.lines.at(-1)!.message) as { live: string; problems: string[] };
    expect(report).toMatchObject({ live: 'blue', problems: [] });
    // The same state, read straight from the manager's tcp port.
    const direct = await run('status', rig.manager, ok, { format: 'json' });
    expect((JSON.parse(direct.lines.at(-1)!.message) as { live: string }).live).toBe('blue');
  });
});
