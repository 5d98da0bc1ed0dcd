import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost, startDashboardServer, type DashboardServer } from '../src/index.js';
import { fixtureRoot, rawRequest } from './helpers.js';

let server: DashboardServer;
let tmp: string;

beforeAll(async () => {
  // A copy of the fixture root with a secret beside it and symlinks pointing out.
  tmp = mkdtempSync(join(tmpdir(), 'ss-dashboard-'));
  const root = join(tmp, 'state');
  cpSync(fixtureRoot, root, { recursive: true });
  writeFileSync(join(tmp, 'secret.json'), '{"secret":"OUTSIDE-ROOT-MARKER"}\n');
  writeFileSync(join(tmp, 'package.json'), '{"name":"OUTSIDE-ROOT-MARKER"}\n');
  symlinkSync(join(tmp, 'secret.json'), join(root, 'runtime/exports/linked.json'));
  symlinkSync(tmp, join(root, 'runtime/outside'), 'dir');
  symlinkSync(join(root, 'runtime/admin/integrations.json'), join(root, 'runtime/exports/alias.json'));
  symlinkSync(join(root, 'runtime/exports/notes.txt'), join(root, 'runtime/exports/notes.json'));
  server = await startDashboardServer({ root });
});

afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('startDashboardServer', () => {
  it('binds to 127.0.0.1 on a free port by default', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('serves the page, its assets and a state file', async () => {
    const page = await rawRequest(server.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<script type="module" src="assets/dashboard.js">');
    const script = await rawRequest(server.url, '/assets/dashboard.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const clips = await rawRequest(server.url, '/state/runtime/exports/clips.json');
    expect(clips.status).toBe(200);
    expect(clips.headers['content-type']).toBe('application/json; charset=utf-8');
    // Revalidated on every refresh (ETag + If-None-Match), so no longer no-store.
    expect(clips.headers['cache-control']).toBe('no-cache');
    expect(clips.headers['access-control-allow-origin']).toBe('*');
    expect((JSON.parse(clips.body) as { clips: { title: string }[] }).clips[0]!.title).toBe('Triple kill at the bridge');
  });

  it('the page CSP lets it play clip media and show posters from this server and from a remote state root', async () => {
    const csp = (await rawRequest(server.url, '/')).headers['content-security-policy'] as string;
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('media-src')).toEqual(["'self'", 'blob:', 'http:', 'https:']);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'http:', 'https:']);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('dashboard-only files are served same-origin only (no CORS header)', async () => {
    const quotas = await rawRequest(server.url, '/state/shared/state/quotas.json');
    expect(quotas.status).toBe(200);
    expect(quotas.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('HEAD answers the GET headers without a body', async () => {
    const head = await rawRequest(server.url, '/state/runtime/exports/clips.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body).toBe('');
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s → 405 with Allow: GET, HEAD', async (method) => {
    // OPTIONS of a /state/ path is a CORS preflight (204, test/exposure.test.ts); elsewhere it is 405 like the rest.
    const targets = method === 'OPTIONS' ? ['/', '/assets/dashboard.js', '/nowhere'] : ['/', '/state/runtime/exports/clips.json', '/nowhere'];
    for (const target of targets) {
      const res = await rawRequest(server.url, target, { method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(JSON.parse(res.body)).toMatchObject({ error: { status: 405, code: 'method-not-allowed' } });
    }
  });

  it.each([
    '/state/../package.json',
    '/state/%2e%2e/package.json',
    '/state/%2E%2E/secret.json',
    '/state/..%2fsecret.json',
    '/state/%2e%2e%2fsecret.json',
    '/state/runtime/..%5c..%5csecret.json',
    '/state/runtime\\..\\..\\secret.json',
    '/state/runtime/%00.json',
    '/state/./runtime/exports/clips.json',
    '/state//etc/passwd.json',
    '/state/C:%5csecret.json',
    '/state/%252e%252e/secret.json',
    '/assets/../package.json',
    '/assets/%2e%2e/package.json',
    '/state/runtime/exports/linked.json',
    '/state/runtime/outside/secret.json',
    '/state/runtime/outside/package.json',
    'http://127.0.0.1/state/../secret.json',
  ])('traversal %s is refused (400/404, nothing from outside)', async (target) => {
    const res = await rawRequest(server.url, target);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain('OUTSIDE-ROOT-MARKER');
    expect(JSON.parse(res.body)).toHaveProperty('error');
  });

  it.each([
    '/state/runtime/admin/integrations.json',
    '/state/runtime/admin/permissions.json',
    '/state/RUNTIME/admin/Integrations.json',
    '/state/runtime/admin/audit.json',
    '/state/runtime/exports/alias.json',
  ])('internal-only %s is refused with 403', async (target) => {
    const res = await rawRequest(server.url, target);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('INTERNAL-SECRET-MARKER');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'internal-only' } });
  });

  it.each(['/state/runtime/exports/notes.txt', '/state/runtime/exports/notes.json', '/state/runtime/exports/'])(
    'non-JSON %s is refused',
    async (target) => {
      const res = await rawRequest(server.url, target);
      expect([403, 404]).toContain(res.status);
      expect(res.body).not.toContain('not json');
    },
  );

  it('a missing state file → 404 with a JSON error body', async () => {
    const res = await rawRequest(server.url, '/state/runtime/exports/nope.json');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual({ error: { status: 404, code: 'not-found', message: expect.any(String) } });
    // Readable cross-origin, so a dashboard elsewhere shows it as empty, not as a failure.
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect((await rawRequest(server.url, '/other')).status).toBe(404);
  });

  it('refuses Host headers that are not loopback names (DNS rebinding)', async () => {
    const res = await rawRequest(server.url, '/state/shared/state/quotas.json', { headers: { Host: `evil.example:${server.port}` } });
    expect(res.status).toBe(403);
    expect((await rawRequest(server.url, '/', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
  });
});

describe('startDashboardServer errors', () => {
  it('a missing root → SS_ERR_DASHBOARD_ROOT_INVALID', async () => {
    await expect(startDashboardServer({ root: join(tmp, 'missing') })).rejects.toMatchObject({ code: 'SS_ERR_DASHBOARD_ROOT_INVALID' });
    await expect(startDashboardServer({ root: join(tmp, 'secret.json') })).rejects.toThrow(/is not a directory/);
  });

  it('a bad port → SS_ERR_DASHBOARD_OPTION_INVALID', async () => {
    await expect(startDashboardServer({ root: fixtureRoot, port: 70_000 })).rejects.toMatchObject({ code: 'SS_ERR_DASHBOARD_OPTION_INVALID' });
  });

  it('a port in use → SS_ERR_DASHBOARD_PORT_IN_USE with a hint', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startDashboardServer({ root: fixtureRoot, port }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SS_ERR_DASHBOARD_PORT_IN_USE', hint: expect.stringContaining('another port') });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('missing assets → SS_ERR_DASHBOARD_ASSETS_MISSING', async () => {
    await expect(startDashboardServer({ root: fixtureRoot, assetsDir: tmp })).rejects.toMatchObject({ code: 'SS_ERR_DASHBOARD_ASSETS_MISSING' });
  });

  it('close() is idempotent', async () => {
    const extra = await startDashboardServer({ root: fixtureRoot });
    await Promise.all([extra.close(), extra.close()]);
    await expect(rawRequest(extra.url, '/')).rejects.toThrow();
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['::1', true], ['[::1]', true], ['localhost', true],
    ['0.0.0.0', false], ['::', false], ['192.168.1.10', false], ['example.com', false],
  ])('%s → %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));
});
