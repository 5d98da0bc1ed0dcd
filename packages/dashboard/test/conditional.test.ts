import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer, type DashboardServer } from '../src/index.js';
import { fixtureRoot, rawRequest } from './helpers.js';

let server: DashboardServer;
let tmp: string;
let root: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ss-dashboard-etag-'));
  root = join(tmp, 'state');
  cpSync(fixtureRoot, root, { recursive: true });
  server = await startDashboardServer({ root });
});

afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const STRONG = /^"[A-Za-z0-9_-]{27}"$/;

describe('ETag and If-None-Match', () => {
  it.each(['/', '/assets/dashboard.js', '/state/runtime/exports/clips.json', '/state/shared/state/quotas.json'])(
    '%s: a strong ETag from the bytes; If-None-Match with it → 304, no body',
    async (target) => {
      const first = await rawRequest(server.url, target);
      expect(first.status).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(STRONG);
      expect((await rawRequest(server.url, target)).headers.etag).toBe(etag);
      for (const condition of [etag, `W/${etag}`, `"nope", ${etag}`, `"a" ,W/${etag} , "b"`, '*']) {
        for (const method of ['GET', 'HEAD']) {
          const res = await rawRequest(server.url, target, { method, headers: { 'If-None-Match': condition } });
          expect(res.status, `${method} ${condition}`).toBe(304);
          expect(res.body).toBe('');
          expect(res.headers.etag).toBe(etag);
          expect(res.headers['cache-control']).toBe('no-cache');
          expect(res.headers['content-length']).toBeUndefined();
        }
      }
      for (const condition of ['"nope"', 'W/"nope"', etag.slice(0, -2) + '"', '']) {
        const res = await rawRequest(server.url, target, { headers: { 'If-None-Match': condition } });
        expect(res.status, condition).toBe(200);
        expect(res.body).toBe(first.body);
      }
    },
  );

  it('state files are no-cache (revalidated every refresh), no longer no-store', async () => {
    const res = await rawRequest(server.url, '/state/runtime/exports/polls.json');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('a changed file gets a new ETag, and the old one no longer matches', async () => {
    const file = join(root, 'runtime/exports/tallies.json');
    const before = await rawRequest(server.url, '/state/runtime/exports/tallies.json');
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { meta: { generatedAt: string } };
    parsed.meta.generatedAt = '2030-01-01T00:00:00.000Z';
    writeFileSync(file, JSON.stringify(parsed));
    const after = await rawRequest(server.url, '/state/runtime/exports/tallies.json', { headers: { 'If-None-Match': before.headers.etag as string } });
    expect(after.status).toBe(200);
    expect(after.headers.etag).toMatch(STRONG);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body).toContain('2030-01-01');
  });

  it('a 304 of a public file keeps Access-Control-Allow-Origin (a dashboard elsewhere revalidates too); dashboard-only ones do not get it', async () => {
    const clips = await rawRequest(server.url, '/state/runtime/exports/clips.json');
    const publicHit = await rawRequest(server.url, '/state/runtime/exports/clips.json', { headers: { 'If-None-Match': clips.headers.etag as string } });
    expect(publicHit.status).toBe(304);
    expect(publicHit.headers['access-control-allow-origin']).toBe('*');
    const quotas = await rawRequest(server.url, '/state/shared/state/quotas.json');
    const privateHit = await rawRequest(server.url, '/state/shared/state/quotas.json', { headers: { 'If-None-Match': quotas.headers.etag as string } });
    expect(privateHit.status).toBe(304);
    expect(privateHit.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refusals and missing files never answer 304', async () => {
    for (const target of ['/state/runtime/admin/integrations.json', '/state/runtime/exports/nope.json', '/nowhere']) {
      const res = await rawRequest(server.url, target, { headers: { 'If-None-Match': '*' } });
      expect([403, 404]).toContain(res.status);
    }
  });
});
