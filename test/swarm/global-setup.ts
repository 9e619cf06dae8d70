import { execFileSync } from 'node:child_process';
import { rigConfig, rigDown, rigUp } from '../helpers/swarm-rig.js';

/** Images every swarm test may run; loaded once into every node (no registry pull inside the nodes). */
export const RIG_IMAGES = ['shipkit/base:bookworm'];

/**
 * One rig for every swarm test file: up before the first, down after the last, nothing left behind.
 * SWARM_RIG_KEEP=1 leaves it running between local runs (then `scripts/swarm-rig.sh down` by hand).
 */
export default function setup(): () => Promise<void> {
  const rig = rigConfig();
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', env: { ...process.env, DOCKER_HOST: '' } });
  } catch {
    return () => Promise.resolve(); // the tests say why they skip
  }
  const started = Date.now();
  rigUp(rig, RIG_IMAGES);
  console.log(
    `[swarm rig] ${rig.prefix}: ${rig.nodes.length} nodes up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return () => (process.env.SWARM_RIG_KEEP === '1' ? Promise.resolve() : rigDown(rig));
}
