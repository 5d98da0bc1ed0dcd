import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocalRequest } from '../src/access.js';
import { startDashboardServer, type DashboardServer } from '../src/index.js';
import { fixtureRoot, rawRequest } from './helpers.js';

// Remote access is tested on servers bound to 0.0.0.0 and reached over
// 127.0.0.1: a Host header that is not a loopback name makes a request remote
// (as from another machine, or a DNS-rebinding page); the default Host
// (127.0.0.1:<port>) makes it local.
const TOKEN = `tok-${randomBytes(16).toString('hex')}`;
let tmp: string;
let root: string;
let withToken: DashboardServer;
let withoutToken: DashboardServer;
let loopback: DashboardServer;

const remote = (server: DashboardServer, headers: Record<string, string> = {}) => ({ headers: { Host: `dashboard.example:${server.port}`, ...headers } });
const bearer = (server: DashboardServer, token = TOKEN) => remote(server, { Authorization: `Bearer ${token}` });
const local = (server: DashboardServer) => `http://127.0.0.1:${server.port}/`;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ss-dashboard-exposure-'));
  root = join(tmp, 'state');
  cpSync(fixtureRoot, root, { recursive: true });
  mkdirSync(join(root, 'runtime/media/clips'), { recursive: true });
  writeFileSync(join(root, 'runtime/media/clips/c1.mp4'), randomBytes(300));
  withToken = await startDashboardServer({ root, host: '0.0.0.0', allowRemote: true, token: TOKEN });
  withoutToken = await startDashboardServer({ root, host: '0.0.0.0', allowRemote: true });
  loopback = await startDashboardServer({ root, token: TOKEN });
});

afterAll(async () => {
  await Promise.all([withToken?.close(), withoutToken?.close(), loopback?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

describe('binding a non-loopback address', () => {
  it.each(['0.0.0.0', '::', '192.0.2.10'])('%s without allowRemote → SS_ERR_DASHBOARD_REMOTE_REFUSED naming the host', async (host) => {
    for (const options of [{ root, host }, { root, host, allowRemote: false, token: TOKEN }]) {
      const error = (await startDashboardServer(options).catch((e: unknown) => e)) as Error & { code: string; hint: string };
      expect(error).toMatchObject({ code: 'SS_ERR_DASHBOARD_REMOTE_REFUSED' });
      expect(error.message).toContain(host);
      expect(error.hint).toContain('--allow-remote');
      expect(error.hint).toContain('allowRemote');
      expect(error.hint).toContain('token');
      expect(JSON.stringify({ ...error, message: error.message, hint: error.hint })).not.toContain(TOKEN);
    }
  });

  it.each([
    ['', 'must be a non-empty string'],
    ['fifteen-chars-x', 'must be at least 16 characters'],
    ['sixteen chars ok', 'must be printable ASCII without spaces'],
    ['sixteen-chars-ok\n', 'must be printable ASCII without spaces'],
    ['sixteen-chärs-ok', 'must be printable ASCII without spaces'],
  ])('token %j → SS_ERR_DASHBOARD_OPTION_INVALID that does not repeat it', async (token, problem) => {
    const error = (await startDashboardServer({ root, host: '0.0.0.0', allowRemote: true, token }).catch((e: unknown) => e)) as Error & {
      code: string;
      hint: string;
      details: unknown;
    };
    expect(error).toMatchObject({ code: 'SS_ERR_DASHBOARD_OPTION_INVALID' });
    expect(error.message).toContain(problem);
    if (token.trim() !== '') {
      for (const text of [error.message, error.hint, JSON.stringify(error.details ?? null), String(error.stack)]) expect(text).not.toContain(token.trim());
    }
  });

  it('the server never holds the token in a field, and exposure says what goes to whom', () => {
    for (const server of [withToken, withoutToken, loopback]) expect(JSON.stringify(server)).not.toContain(TOKEN);
    expect(withToken.exposure).toEqual([
      `http://0.0.0.0:${withToken.port}/ — page and public files (clips, polls, tallies, scoreboards, metadata) to anyone who can reach this address`,
      `dashboard-only files and clip media: only with the bearer token (and to this machine at http://localhost:${withToken.port}/)`,
      'internal-only files: never served',
    ]);
    expect(withoutToken.exposure).toEqual([
      `http://0.0.0.0:${withoutToken.port}/ — page and public files (clips, polls, tallies, scoreboards, metadata) to anyone who can reach this address`,
      `dashboard-only files and clip media: to this machine only (http://localhost:${withoutToken.port}/)`,
      'internal-only files: never served',
    ]);
    expect(loopback.exposure).toEqual([
      `http://127.0.0.1:${loopback.port}/ — page, public and dashboard-only files and clip media to this machine only (internal-only files never)`,
    ]);
  });
});

describe('remote requests', () => {
  it('get the page, its assets and public files (with ACAO *), without a token', async () => {
    for (const server of [withToken, withoutToken]) {
      expect((await rawRequest(server.url, '/', remote(server))).status).toBe(200);
      expect((await rawRequest(server.url, '/assets/dashboard.js', remote(server))).status).toBe(200);
      const clips = await rawRequest(server.url, '/state/runtime/exports/clips.json', remote(server));
      expect(clips.status).toBe(200);
      expect(clips.headers['access-control-allow-origin']).toBe('*');
      expect(clips.headers.vary).toBe('Authorization');
    }
  });

  it.each(['/state/shared/state/quotas.json', '/state/runtime/signals/chat_events.json', '/state/runtime/media/clips/c1.mp4'])(
    'dashboard-only %s without the token → 401 with WWW-Authenticate and a JSON error',
    async (target) => {
      for (const options of [remote(withToken), bearer(withToken, 'wrong'), bearer(withToken, `${TOKEN}x`), remote(withToken, { Authorization: TOKEN })]) {
        const res = await rawRequest(withToken.url, target, options);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="streamsuites-dashboard"');
        expect(res.headers.vary).toBe('Authorization');
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(JSON.parse(res.body)).toMatchObject({ error: { status: 401, code: 'unauthorized' } });
        expect(res.body).not.toContain(TOKEN);
      }
    },
  );

  it('dashboard-only files and media with the token → 200, same-origin only (no ACAO *), varying on Authorization', async () => {
    for (const options of [bearer(withToken), remote(withToken, { Authorization: `bearer  ${TOKEN}` })]) {
      const quotas = await rawRequest(withToken.url, '/state/shared/state/quotas.json', options);
      expect(quotas.status).toBe(200);
      expect(quotas.headers['access-control-allow-origin']).toBeUndefined();
      expect(quotas.headers.vary).toBe('Authorization');
      expect(JSON.parse(quotas.body)).toHaveProperty('meta.visibility', 'dashboard-only');
      const media = await rawRequest(withToken.url, '/state/runtime/media/clips/c1.mp4', options);
      expect(media.status).toBe(200);
      expect(media.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('without a configured token dashboard-only data → 403 remote-not-allowed, whatever Authorization says', async () => {
    for (const target of ['/state/shared/state/quotas.json', '/state/runtime/media/clips/c1.mp4']) {
      for (const options of [remote(withoutToken), bearer(withoutToken)]) {
        const res = await rawRequest(withoutToken.url, target, options);
        expect(res.status).toBe(403);
        expect(res.headers['www-authenticate']).toBeUndefined();
        expect(JSON.parse(res.body)).toMatchObject({ error: { status: 403, code: 'remote-not-allowed' } });
      }
    }
  });

  it('a matching If-None-Match does not turn a refusal into a 304', async () => {
    const etag = (await rawRequest(local(withToken), '/state/shared/state/quotas.json')).headers.etag as string;
    expect(etag).toMatch(/^"/);
    const res = await rawRequest(withToken.url, '/state/shared/state/quotas.json', remote(withToken, { 'If-None-Match': etag }));
    expect(res.status).toBe(401);
  });

  it('internal-only files stay refused with the token and locally', async () => {
    for (const target of ['/state/runtime/admin/integrations.json', '/state/runtime/admin/audit.json']) {
      for (const [url, options] of [
        [withToken.url, bearer(withToken)],
        [local(withToken), {}],
        [local(withoutToken), {}],
        [loopback.url, {}],
      ] as const) {
        const res = await rawRequest(url, target, options);
        expect(res.status).toBe(403);
        expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'internal-only' } });
        expect(res.body).not.toContain('INTERNAL-SECRET-MARKER');
      }
    }
  });
});

describe('local requests on a remote-enabled server', () => {
  it('keep full access without a token (peer and Host both loopback)', async () => {
    for (const server of [withToken, withoutToken]) {
      for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
        const quotas = await rawRequest(local(server), '/state/shared/state/quotas.json', { headers: { Host: host } });
        expect(quotas.status).toBe(200);
        expect((await rawRequest(local(server), '/state/runtime/media/clips/c1.mp4', { headers: { Host: host } })).status).toBe(200);
      }
    }
  });

  it('a request is local only when the peer is loopback and the Host a loopback name', () => {
    const req = (remoteAddress: string | undefined, host: string | undefined) =>
      ({ socket: { remoteAddress }, headers: host === undefined ? {} : { host } }) as unknown as IncomingMessage;
    expect(isLocalRequest(req('127.0.0.1', 'localhost:8787'))).toBe(true);
    expect(isLocalRequest(req('::1', '[::1]:8787'))).toBe(true);
    expect(isLocalRequest(req('::ffff:127.0.0.1', '127.0.0.1:8787'))).toBe(true);
    expect(isLocalRequest(req('192.168.1.5', 'localhost:8787'))).toBe(false);
    expect(isLocalRequest(req('::ffff:10.0.0.2', '127.0.0.1'))).toBe(false);
    expect(isLocalRequest(req('127.0.0.1', 'evil.example'))).toBe(false);
    expect(isLocalRequest(req('127.0.0.1', undefined))).toBe(false);
    expect(isLocalRequest(req(undefined, 'localhost'))).toBe(false);
  });

  // When this machine has a non-loopback IPv4 address: a real peer that is not loopback is remote, even with Host: localhost.
  const lan = Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
  it.skipIf(lan === undefined)('a peer on a non-loopback address is remote even when it says Host: localhost', async () => {
    const server = await startDashboardServer({ root, host: lan!, allowRemote: true, token: TOKEN });
    try {
      const res = await rawRequest(server.url, '/state/shared/state/quotas.json', { headers: { Host: `localhost:${server.port}` } });
      expect(res.status).toBe(401);
      expect((await rawRequest(server.url, '/state/shared/state/quotas.json', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('CORS preflight', () => {
  it.each(['/state/shared/state/quotas.json', '/state/runtime/media/clips/c1.mp4', '/state/runtime/exports/clips.json'])(
    'OPTIONS %s → 204 with the allowed methods and headers',
    async (target) => {
      for (const [server, options] of [[withToken, remote(withToken)], [loopback, {}]] as const) {
        const res = await rawRequest(server.url, target, { ...options, method: 'OPTIONS' });
        expect(res.status).toBe(204);
        expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD');
        expect(res.headers['access-control-allow-headers']).toBe('Authorization, If-None-Match, Range');
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(res.body).toBe('');
      }
    },
  );

  it('OPTIONS elsewhere and other methods stay 405; a loopback bind still checks Host first', async () => {
    for (const target of ['/', '/assets/dashboard.js', '/nowhere']) {
      expect((await rawRequest(withToken.url, target, { ...remote(withToken), method: 'OPTIONS' })).status).toBe(405);
    }
    expect((await rawRequest(withToken.url, '/state/shared/state/quotas.json', { ...bearer(withToken), method: 'POST' })).status).toBe(405);
    const rebound = await rawRequest(loopback.url, '/state/shared/state/quotas.json', { method: 'OPTIONS', headers: { Host: 'evil.example' } });
    expect(rebound.status).toBe(403);
  });
});

describe('loopback binds', () => {
  it('keep the DNS-rebinding Host check and ignore the token', async () => {
    const res = await rawRequest(loopback.url, '/state/shared/state/quotas.json', bearer(loopback));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'host-not-allowed' } });
    const ok = await rawRequest(loopback.url, '/state/shared/state/quotas.json');
    expect(ok.status).toBe(200);
    expect(ok.headers.vary).toBeUndefined();
  });
});
