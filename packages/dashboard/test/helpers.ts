import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

export const fixtureRoot = fileURLToPath(new URL('./fixtures/state/', import.meta.url));
export const altFixtureRoot = fileURLToPath(new URL('./fixtures/state-alt/', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request with the target sent exactly as given. fetch() would
 * normalize `..` and `%2e%2e` before sending, which hides what a traversal
 * attempt really puts on the wire.
 */
export function rawRequest(
  url: string,
  target: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => void (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
