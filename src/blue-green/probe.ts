/** One-off HTTP GETs the blue-green step makes itself (asking the LB what it routes). */
import { get } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * GET on a new connection each time (no keep-alive pool): a pooled socket that an nginx reload
 * closed while idle would fail the next request for reasons that are not the target's fault.
 */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 5000,
  /** Connect to this unix socket instead of the URL's host (the URL still gives the path). */
  socketPath?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = get(
      url,
      { agent: false, socketPath, headers: { ...headers, connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
