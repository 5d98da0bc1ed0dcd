import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalHlsStreamOptions {
  /** HLS segment length in seconds (a keyframe at every boundary). Default 1. */
  segmentSec?: number;
  /** Headers every request must carry with exactly these values (names case-insensitive), else 403. */
  requireHeaders?: Readonly<Record<string, string>>;
  /** Name of the query parameter carrying the token. Default `token`. */
  tokenParam?: string;
  /** The ffmpeg binary. Default `ffmpeg` (PATH). */
  ffmpegPath?: string;
  /** How long to wait for the first 3 segments. Default 20 s. */
  readyTimeoutMs?: number;
}

/** One HTTP request the server answered. `path` has no query (the token stays out of test output). */
export interface LocalHlsRequest {
  path: string;
  status: number;
  /** Lower-case names, as node receives them. */
  headers: Record<string, string>;
}

export interface LocalHlsStream {
  /** `http://127.0.0.1:PORT/live/index.m3u8?token=...`: the playlist, tokenized. */
  url: string;
  /** The token alone (to build a wrong URL, or to check it was never logged). */
  token: string;
  /** Every request so far, in order. */
  requests(): LocalHlsRequest[];
  /** Stops ffmpeg and the server, removes the files. Idempotent. */
  stop(): Promise<void>;
}

const PLAYLIST = 'index.m3u8';
const FILE_NAME = /^[A-Za-z0-9_-]+\.(?:m3u8|ts)$/;

/**
 * A live HLS stream on 127.0.0.1, made by a real ffmpeg (testsrc2 + a sine,
 * H.264/AAC at real time, so a capture can stream-copy it) into a temp
 * folder and served by a node:http server that answers 403 unless the
 * request carries the token (`?token=`) and every `requireHeaders` value —
 * as a platform's signed CDN does. The playlist it serves names each segment
 * with the token appended (segments are tokenized too). Resolves once the
 * playlist lists at least 3 segments.
 *
 * ```ts
 * const stream = await startLocalHlsStream({ requireHeaders: { 'X-Auth': 'letmein-42' } });
 * // ffmpeg -headers 'X-Auth: letmein-42\r\n' -i stream.url ...
 * await stream.stop();
 * ```
 */
export async function startLocalHlsStream(options: LocalHlsStreamOptions = {}): Promise<LocalHlsStream> {
  const segmentSec = options.segmentSec ?? 1;
  if (!(segmentSec > 0 && segmentSec <= 10)) throw new RangeError('segmentSec must be in (0, 10]');
  const tokenParam = options.tokenParam ?? 'token';
  const required = Object.entries(options.requireHeaders ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const);
  const token = randomBytes(12).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), 'ss-hls-'));
  const requests: LocalHlsRequest[] = [];

  const rate = 25;
  const ffmpeg = spawn(options.ffmpegPath ?? 'ffmpeg', [
    '-hide_banner', '-nostats', '-loglevel', 'error',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=${rate}`,
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-g', String(Math.max(1, Math.round(rate * segmentSec))), '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '64k',
    '-f', 'hls', '-hls_time', String(segmentSec), '-hls_list_size', '10',
    '-hls_flags', 'delete_segments+temp_file', '-hls_segment_filename', 'seg%06d.ts',
    PLAYLIST,
  ], { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.setEncoding('utf8');
  ffmpeg.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => {
    ffmpeg.once('close', () => resolve());
    ffmpeg.once('error', (error) => {
      stderr += String(error);
      resolve();
    });
  });
  let ended = false;
  void exited.then(() => (ended = true));

  const answer = (req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain'): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    requests.push({ path: url.pathname, status, headers });
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
    res.end(body);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const name = url.pathname.startsWith('/live/') ? url.pathname.slice('/live/'.length) : '';
      if (req.method !== 'GET' || !FILE_NAME.test(name)) return answer(req, res, 404, 'not found');
      const headersOk = required.every(([header, value]) => req.headers[header] === value);
      if (url.searchParams.get(tokenParam) !== token || !headersOk) return answer(req, res, 403, 'forbidden');
      let data: Buffer;
      try {
        data = await readFile(join(dir, name));
      } catch {
        return answer(req, res, 404, 'not found');
      }
      if (name === PLAYLIST) {
        // Segments are tokenized like the playlist (relative URIs would lose the query).
        const text = data.toString('utf8').replace(/^([^#\s][^\s]*\.ts)$/gm, `$1?${tokenParam}=${token}`);
        return answer(req, res, 200, text, 'application/vnd.apple.mpegurl');
      }
      return answer(req, res, 200, data, 'video/mp2t');
    })().catch(() => {
      if (!res.headersSent) answer(req, res, 500, 'error');
    });
  });
  server.listen(0, '127.0.0.1');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (!ended) {
        ffmpeg.stdin.end('q');
        const killer = setTimeout(() => ffmpeg.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    await once(server, 'listening');
    const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
    for (;;) {
      const text = await readFile(join(dir, PLAYLIST), 'utf8').catch(() => '');
      if ((text.match(/#EXTINF/g)?.length ?? 0) >= 3) break;
      if (ended) throw new Error(`startLocalHlsStream: ffmpeg exited before the stream was ready: ${stderr.trim() || '(no output)'}`);
      if (Date.now() > deadline) throw new Error(`startLocalHlsStream: no 3 segments within ${options.readyTimeoutMs ?? 20_000} ms: ${stderr.trim() || '(no ffmpeg output)'}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/live/${PLAYLIST}?${tokenParam}=${token}`,
    token,
    requests: () => requests.map((r) => ({ ...r, headers: { ...r.headers } })),
    stop,
  };
}
