import { resolve } from 'node:path';
import { compose, containersWithLabels, docker, inspect, type ComposeProject } from '../docker/cli.js';
import type { Replica, StackRef } from './spec.js';
import { scaleSwarmService, swarmReplicas } from './swarm.js';

export type { Replica } from './spec.js';

interface Inspected {
  Id: string;
  Name: string;
  Config: { Hostname: string; Labels: Record<string, string> };
  State: { Running: boolean; Health?: { Status: string } };
}

/**
 * The running replicas of `stack.service`, ordered by replica number: containers found by compose labels,
 * or on a swarm the running tasks of `<project>_<service>` on every node.
 */
export async function replicasOf(stack: StackRef): Promise<Replica[]> {
  if (stack.engine === 'swarm') return swarmReplicas(stack);
  const ids = await containersWithLabels([
    `com.docker.compose.project=${stack.project}`,
    `com.docker.compose.service=${stack.service}`,
  ]);
  const found = await inspect<Inspected>(ids);
  return found
    .filter((c) => c.State.Running)
    .map((c) => ({
      id: c.Id,
      name: c.Name.replace(/^\//, ''),
      hostname: c.Config.Hostname,
      number: Number(c.Config.Labels['com.docker.compose.container-number'] ?? 0),
      health: c.State.Health?.Status,
    }))
    .sort((a, b) => a.number - b.number);
}

/** Stops one container (SIGTERM, then SIGKILL after `graceSeconds`). */
export async function stopContainer(id: string, graceSeconds = 10): Promise<void> {
  await docker(['stop', '-t', String(graceSeconds), id]);
}

export async function startContainer(id: string): Promise<void> {
  await docker(['start', id]);
}

/** Compose files and env files are relative to the project directory, as in the stack step. */
function projectOf(stack: StackRef): ComposeProject {
  const at = (f: string) => resolve(stack.directory ?? '.', f);
  return {
    name: stack.project,
    files: stack.files.map(at),
    directory: stack.directory,
    envFiles: stack.envFiles.map(at),
  };
}

/**
 * Scales the service to `replicas` without touching the running ones (`up -d --no-recreate
 * --no-build --scale`); needs the same compose files and env the stack was started with.
 */
export async function scaleService(stack: StackRef, replicas: number): Promise<void> {
  if (stack.engine === 'swarm') return scaleSwarmService(stack, replicas);
  await compose(
    projectOf(stack),
    ['up', '-d', '--no-recreate', '--no-build', '--scale', `${stack.service}=${replicas}`, stack.service],
    {
      timeoutMs: 120_000,
    },
  );
}
