import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolAvailable, type ExternalTool } from '@streamsuites/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer, type DashboardServer } from '../src/index.js';
import { fixtureRoot, rawRequest } from './helpers.js';

const FFMPEG: ExternalTool = { name: 'ffmpeg', path: '/usr/bin/ffmpeg', install: 'apt-get install ffmpeg' };

/** Like rawRequest, with the body as bytes (media is binary). */
function bytesRequest(url: string, target: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ hostname, port, path: target, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let server: DashboardServer;
let tmp: string;
let root: string;
const CLIP = '/state/runtime/media/clips/c1.mp4';
const SIZE = 70_000;
let bytes: Buffer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ss-dashboard-media-'));
  root = join(tmp, 'state');
  cpSync(fixtureRoot, root, { recursive: true });
  const media = join(root, 'runtime/media/clips');
  mkdirSync(media, { recursive: true });
  bytes = randomBytes(SIZE);
  writeFileSync(join(media, 'c1.mp4'), bytes);
  for (const name of ['c1.jpg', 'c1.JPEG', 'c1.png', 'c1.webp', 'c1.webm', 'empty.mp4']) writeFileSync(join(media, name), name === 'empty.mp4' ? '' : name);
  writeFileSync(join(media, 'notes.txt'), 'not media');
  writeFileSync(join(media, 'index.json'), '{"meta":{"visibility":"public"}}');
  writeFileSync(join(tmp, 'outside.mp4'), 'OUTSIDE-ROOT-MARKER');
  symlinkSync(join(tmp, 'outside.mp4'), join(media, 'outside.mp4'));
  // A link with a media name to a state file inside the root: it must not be served as "video".
  symlinkSync(join(root, 'runtime/admin/integrations.json'), join(media, 'integrations.mp4'));
  symlinkSync(join(root, 'shared/state/quotas.json'), join(media, 'quotas.png'));
  writeFileSync(join(root, 'runtime/exports/poster.jpg'), 'a jpg outside runtime/media');
  symlinkSync(join(root, 'runtime/exports/poster.jpg'), join(media, 'poster.jpg'));
  server = await startDashboardServer({ root });
});

afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('clip media under runtime/media/', () => {
  it('GET: the whole file, video/mp4, Accept-Ranges: bytes, an ETag, no-cache', async () => {
    const res = await bytesRequest(server.url, CLIP);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['content-range']).toBeUndefined();
    expect(res.body.equals(bytes)).toBe(true);
  });

  it.each([
    ['c1.jpg', 'image/jpeg'],
    ['c1.JPEG', 'image/jpeg'],
    ['c1.png', 'image/png'],
    ['c1.webp', 'image/webp'],
    ['c1.webm', 'video/webm'],
  ])('%s is served as %s', async (name, type) => {
    const res = await rawRequest(server.url, `/state/runtime/media/clips/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.body).toBe(name);
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=100-', 100, SIZE - 1],
    ['bytes=-50', SIZE - 50, SIZE - 1],
    ['bytes=-999999', 0, SIZE - 1],
    ['bytes=69000-999999', 69_000, SIZE - 1],
    ['bytes=5-5', 5, 5],
    [`bytes=${SIZE - 1}-`, SIZE - 1, SIZE - 1],
    ['BYTES=10-19', 10, 19],
  ])('Range: %s → 206 with bytes %i-%i', async (range, start, end) => {
    const res = await bytesRequest(server.url, CLIP, { headers: { Range: range } });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(res.headers['content-length']).toBe(String(end - start + 1));
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.body.equals(bytes.subarray(start, end + 1))).toBe(true);
  });

  it.each([`bytes=${SIZE}-`, `bytes=${SIZE + 5}-${SIZE + 10}`, 'bytes=-0'])('unsatisfiable %s → 416 with Content-Range: bytes */size', async (range) => {
    const res = await rawRequest(server.url, CLIP, { headers: { Range: range } });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${SIZE}`);
    expect(JSON.parse(res.body)).toMatchObject({ error: { status: 416, code: 'range-not-satisfiable' } });
  });

  it('any range of an empty file is unsatisfiable; the whole of it is 200 with no bytes', async () => {
    const res = await rawRequest(server.url, '/state/runtime/media/clips/empty.mp4', { headers: { Range: 'bytes=0-' } });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */0');
    const whole = await rawRequest(server.url, '/state/runtime/media/clips/empty.mp4');
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe('0');
  });

  it.each(['bytes=abc', 'items=0-10', 'bytes=9-2', 'bytes=0-1,5-6', 'bytes=-', 'bytes= 0-1', 'bytes=0x10-'])(
    'malformed or multi-range %j → 200 with the whole file',
    async (range) => {
      const res = await bytesRequest(server.url, CLIP, { headers: { Range: range } });
      expect(res.status).toBe(200);
      expect(res.headers['content-range']).toBeUndefined();
      expect(res.body.equals(bytes)).toBe(true);
    },
  );

  it('If-Range with the current ETag → 206; with another ETag or a date → 200 whole', async () => {
    const etag = (await rawRequest(server.url, CLIP, { method: 'HEAD' })).headers.etag as string;
    const hit = await bytesRequest(server.url, CLIP, { headers: { Range: 'bytes=0-9', 'If-Range': etag } });
    expect(hit.status).toBe(206);
    expect(hit.body.equals(bytes.subarray(0, 10))).toBe(true);
    for (const ifRange of ['"stale"', `W/${etag}`, new Date().toUTCString()]) {
      const miss = await bytesRequest(server.url, CLIP, { headers: { Range: 'bytes=0-9', 'If-Range': ifRange } });
      expect(miss.status, ifRange).toBe(200);
      expect(miss.body.equals(bytes)).toBe(true);
    }
  });

  it('HEAD: the GET headers (also of a range), no body', async () => {
    const whole = await rawRequest(server.url, CLIP, { method: 'HEAD' });
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe(String(SIZE));
    expect(whole.body).toBe('');
    const part = await rawRequest(server.url, CLIP, { method: 'HEAD', headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${SIZE}`);
    expect(part.headers['content-length']).toBe('10');
    expect(part.body).toBe('');
  });

  it('If-None-Match with the ETag → 304 (before any Range); a changed file gets a new ETag', async () => {
    const etag = (await rawRequest(server.url, CLIP, { method: 'HEAD' })).headers.etag as string;
    const res = await rawRequest(server.url, CLIP, { headers: { 'If-None-Match': etag, Range: 'bytes=0-1' } });
    expect(res.status).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe(etag);
    writeFileSync(join(root, 'runtime/media/clips/c1.webm'), 'changed webm, longer than before');
    const webm = '/state/runtime/media/clips/c1.webm';
    const first = (await rawRequest(server.url, webm)).headers.etag as string;
    writeFileSync(join(root, 'runtime/media/clips/c1.webm'), 'changed again');
    const second = await rawRequest(server.url, webm, { headers: { 'If-None-Match': first } });
    expect(second.status).toBe(200);
    expect(second.headers.etag).not.toBe(first);
  });

  it.each(['notes.txt', 'index.json'])('another kind of file under runtime/media (%s) → 403 not-media', async (name) => {
    const res = await rawRequest(server.url, `/state/runtime/media/clips/${name}`);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'not-media' } });
  });

  it.each([
    ['/state/runtime/media/clips/integrations.mp4', 'INTERNAL-SECRET-MARKER'],
    ['/state/runtime/media/clips/quotas.png', '"quotas"'],
    ['/state/runtime/media/clips/poster.jpg', 'a jpg outside'],
  ])('a link in runtime/media to a file elsewhere in the root (%s) is refused', async (target, marker) => {
    const res = await rawRequest(server.url, target);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain(marker);
  });

  it.each([
    '/state/runtime/media/clips/outside.mp4',
    '/state/runtime/media/../../secret.mp4',
    '/state/runtime/media/%2e%2e/admin/integrations.json',
    '/state/runtime/media/clips%2fc1.mp4',
    '/state/runtime/media/clips/missing.mp4',
  ])('%s → 400/404, nothing from outside', async (target) => {
    const res = await rawRequest(server.url, target);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain('OUTSIDE-ROOT-MARKER');
    expect(JSON.parse(res.body)).toHaveProperty('error');
  });
});

describe.skipIf(!toolAvailable(FFMPEG))('a real mp4 made by ffmpeg', () => {
  it('is served whole and in ranges byte for byte', async () => {
    const file = join(root, 'runtime/media/clips/real.mp4');
    execFileSync(FFMPEG.path, [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=10:duration=1',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-y', file,
    ]);
    const real = readFileSync(file);
    const whole = await bytesRequest(server.url, '/state/runtime/media/clips/real.mp4');
    expect(whole.status).toBe(200);
    expect(whole.body.equals(real)).toBe(true);
    // What a browser's <video> does first: an open-ended range from 0, then the tail.
    const head = await bytesRequest(server.url, '/state/runtime/media/clips/real.mp4', { headers: { Range: 'bytes=0-' } });
    expect(head.status).toBe(206);
    expect(head.headers['content-range']).toBe(`bytes 0-${real.length - 1}/${real.length}`);
    expect(head.body.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const tail = await bytesRequest(server.url, '/state/runtime/media/clips/real.mp4', { headers: { Range: 'bytes=-100' } });
    expect(tail.body.equals(real.subarray(real.length - 100))).toBe(true);
  });
});
