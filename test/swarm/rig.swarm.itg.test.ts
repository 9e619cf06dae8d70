import { afterAll, describe, expect, it } from 'vitest';
import { getText, onNode, rigConfig, rigMissing } from '../helpers/swarm-rig.js';

const rig = rigConfig();
const missing = rigMissing(rig);
const SERVICE = `rigcheck-${Date.now().toString(36)}`;

// The rig itself: every node in the swarm, overlay traffic across nodes, mode=host publishing on each node.
describe.skipIf(missing)(`swarm rig ${missing ?? ''}`, () => {
  afterAll(() => {
    try {
      onNode(rig, ['service', 'rm', SERVICE]);
    } catch {
      /* not created */
    }
  });

  it('has every node Ready in one swarm', () => {
    const nodes = onNode(rig, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}}'])
      .trim()
      .split('\n')
      .sort();
    expect(nodes).toEqual(rig.nodes.map((n) => `${n.name} Ready`));
  });

  it('spreads a dnsrr service over the nodes and publishes it on each node', async () => {
    // Each task answers with its own hostname: one per node (max 1 per node), each reachable on its node's port.
    onNode(rig, [
      'service',
      'create',
      '-q',
      '--detach',
      '--name',
      SERVICE,
      '--replicas',
      String(rig.nodes.length),
      '--replicas-max-per-node',
      '1',
      '--endpoint-mode',
      'dnsrr',
      '--init',
      '--publish',
      'mode=host,target=8080,published=18080',
      'shipkit/base:bookworm',
      'node',
      '-e',
      "require('http').createServer((q,s)=>s.end(require('os').hostname())).listen(8080)",
    ]);
    const seen = new Set<string>();
    const deadline = Date.now() + 60_000;
    while (seen.size < rig.nodes.length && Date.now() < deadline) {
      for (const n of rig.nodes) {
        const body = await getText(`http://${n.ip}:18080/`);
        if (body) seen.add(`${n.name}:${body}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    expect([...seen].map((s) => s.split(':')[0]).sort()).toEqual(rig.nodes.map((n) => n.name));
    expect(new Set([...seen].map((s) => s.split(':')[1])).size).toBe(rig.nodes.length);
  });
});
