/** A local HTTP server answering as the Docker Engine API does (paths, statuses, error JSON), for contract tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DockerApi, dockerEndpoint } from '../../src/docker/api.js';

// The engine's error answers as moby writes them: JSON {"message": …} with the HTTP status.
export const LOST = 'rpc error: code = DeadlineExceeded desc = context deadline exceeded';
export const NO_LEADER =
  "rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
export const answer = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

let server: Server | undefined;

/** Stops the local engine of the last test (an afterEach). */
export const closeEngine = () => new Promise<void>((r) => (server ? server.close(() => r()) : r()));

/** A local engine answering with `handler` (contract test: the Engine API's paths, statuses and error JSON). */
export async function engine(handler: Handler): Promise<{ api: DockerApi; host: string; lines: string[] }> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const host = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = new DockerApi(dockerEndpoint(host));
  const lines: string[] = [];
  api.progress = (l) => lines.push(l);
  return { api, host, lines };
}
