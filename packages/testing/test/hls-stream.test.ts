import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startLocalHlsStream } from '../src/index.js';

const run = promisify(execFile);

describe('startLocalHlsStream', () => {
  it('serves a live H.264/AAC stream only with the token and the required headers; segments are tokenized; stop() ends it', async () => {
    const required = { 'X-Stream-Auth': 'letmein-4242' };
    const stream = await startLocalHlsStream({ requireHeaders: required });
    try {
      expect(stream.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/live/index\\.m3u8\\?token=${stream.token}$`));

      expect((await fetch(stream.url)).status).toBe(403); // no header
      expect((await fetch(stream.url.replace(stream.token, 'wrong-token'), { headers: required })).status).toBe(403);
      expect((await fetch(stream.url, { headers: { 'X-Stream-Auth': 'nope' } })).status).toBe(403);
      const ok = await fetch(stream.url, { headers: required });
      expect(ok.status).toBe(200);
      const playlist = await ok.text();
      const segments = playlist.split('\n').filter((line) => line.endsWith(`.ts?token=${stream.token}`));
      expect(segments.length).toBeGreaterThanOrEqual(3);
      const segmentUrl = new URL(segments.at(-1)!, stream.url).href;
      expect((await fetch(segmentUrl)).status).toBe(403);
      const segment = await fetch(segmentUrl, { headers: required });
      expect(segment.status).toBe(200);
      expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      expect((await fetch(new URL('/live/../../etc/passwd', stream.url), { headers: required })).status).toBe(404);

      // What ffmpeg sees through the headers option: a stream it can copy.
      const probe = await run('ffprobe', ['-v', 'error', '-headers', 'X-Stream-Auth: letmein-4242\r\n', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', stream.url]);
      expect([...new Set(probe.stdout.split('\n').filter(Boolean))].sort()).toEqual(['aac', 'h264']);

      const seen = stream.requests();
      expect(seen.slice(0, 5).map((r) => [r.path, r.status])).toEqual([
        ['/live/index.m3u8', 403],
        ['/live/index.m3u8', 403],
        ['/live/index.m3u8', 403],
        ['/live/index.m3u8', 200],
        [new URL(segmentUrl).pathname, 403],
      ]);
      expect(seen[3]!.headers['x-stream-auth']).toBe('letmein-4242');
      expect(JSON.stringify(seen)).not.toContain(stream.token);
      expect(seen.some((r) => r.path.endsWith('.ts') && r.status === 200 && r.headers['x-stream-auth'] === 'letmein-4242')).toBe(true);
    } finally {
      await stream.stop();
    }
    await expect(fetch(stream.url, { headers: required })).rejects.toThrow();
    await stream.stop(); // idempotent
  }, 30_000);

  it('the token parameter can be renamed; without requireHeaders the token alone opens it', async () => {
    const stream = await startLocalHlsStream({ tokenParam: 'sig' });
    try {
      expect(stream.url).toContain(`?sig=${stream.token}`);
      expect((await fetch(stream.url)).status).toBe(200);
      expect((await fetch(stream.url.replace('?sig=', '?token='))).status).toBe(403);
    } finally {
      await stream.stop();
    }
  }, 30_000);
});
