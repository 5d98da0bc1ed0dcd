import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLogger, serializeError, type StreamSuitesError } from '@streamsuites/kernel';
import { createTempDirs } from '@streamsuites/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpDestination, SS_ERR_CLIPS_DESTINATION_INVALID, SS_ERR_CLIPS_UPLOAD_FAILED, type DestinationLogger, type HttpDestinationOptions } from '../src/destinations.js';
import type { ClipFile } from '../src/types.js';

const TOKEN = 'sk_live_9f8e7d6c5b4a3210fedcba';
const QUERY_KEY = 'qk-5c0a1e2b3d4f';

const temp = createTempDirs('ss-clips-http-');
let clip: ClipFile;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  fields: Record<string, string>;
  file?: { field: string; name: string; type: string; bytes: Buffer };
}

type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang-up';

/** A loopback upload endpoint: parses each multipart request (with the platform's parser) and answers from `reply`. */
async function startEndpoint(reply: (request: Received, index: number) => Reply) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = await new Request('http://127.0.0.1/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: Buffer.concat(chunks),
      }).formData();
      const request: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, fields: {} };
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') request.fields[name] = value;
        else request.file = { field: name, name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
      }
      received.push(request);
      const answer = reply(request, received.length - 1);
      if (answer === 'hang-up') return void req.socket.destroy();
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    })().catch((error: unknown) => {
      res.writeHead(599);
      res.end(String(error));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { origin: `http://127.0.0.1:${port}`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function recordingLog(): DestinationLogger & { lines: string[] } {
  const lines: string[] = [];
  const push = (fields: Record<string, unknown>, message: string): void => void lines.push(JSON.stringify({ ...fields, message }));
  return { lines, debug: push, info: push, warn: push };
}

async function failure(promise: Promise<unknown>): Promise<StreamSuitesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the upload should have failed').toBeInstanceOf(Error);
  return error as StreamSuitesError;
}

const fast = { initialMs: 5, maxMs: 50, factor: 2 };
const options = (origin: string, extra: Partial<HttpDestinationOptions> = {}): HttpDestinationOptions => ({
  url: `${origin}/api/clips?key=${QUERY_KEY}`,
  headers: { Authorization: `Bearer ${TOKEN}` },
  backoff: fast,
  ...extra,
});

beforeAll(() => {
  const path = join(temp.make(), 'Hq7Zt2.mp4');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path]);
  clip = { clipId: 'Hq7Zt2', creatorId: 'maya', path, title: 'Clutch 1v3 — "what a play"', durationSec: 1 };
});
afterAll(() => temp.removeAll());

describe('HttpDestination', () => {
  it('posts the mp4 as multipart/form-data with the headers and metadata, and returns the URL at urlField', async () => {
    const endpoint = await startEndpoint(() => ({ status: 201, body: JSON.stringify({ ok: true, data: { url: 'https://cdn.example.test/clips/Hq7Zt2.mp4' } }) }));
    const log = recordingLog();
    const destination = new HttpDestination(options(endpoint.origin, { urlField: 'data.url' }), { log });
    expect(destination.kind).toBe('http');

    const result = await destination.upload(clip, new AbortController().signal);

    expect(result).toEqual({ url: 'https://cdn.example.test/clips/Hq7Zt2.mp4' });
    expect(endpoint.received).toHaveLength(1);
    const request = endpoint.received[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/api/clips?key=${QUERY_KEY}`);
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.fields).toEqual({ title: clip.title, clipId: 'Hq7Zt2', creatorId: 'maya', durationSec: '1' });
    expect(request.file).toMatchObject({ field: 'file', name: 'Hq7Zt2.mp4', type: 'video/mp4' });
    expect(request.file!.bytes.equals(readFileSync(clip.path))).toBe(true);
    expect(log.lines.join('\n')).not.toContain(TOKEN);
    expect(log.lines.join('\n')).not.toContain(QUERY_KEY);
  });

  it('takes custom fields, file field, PUT, an array path and a relative URL', async () => {
    const endpoint = await startEndpoint(() => ({ status: 200, body: JSON.stringify({ files: [{ url: '/media/Hq7Zt2.mp4' }] }) }));
    const destination = new HttpDestination({
      url: `${endpoint.origin}/up`,
      method: 'PUT',
      fileField: 'video',
      fields: { name: '{creatorId}-{clipId}', caption: '{title}' },
      urlField: 'files.0.url',
    });
    const { url } = await destination.upload(clip, new AbortController().signal);
    expect(url).toBe(`${endpoint.origin}/media/Hq7Zt2.mp4`);
    const request = endpoint.received[0]!;
    expect(request.method).toBe('PUT');
    expect(request.fields).toEqual({ name: 'maya-Hq7Zt2', caption: clip.title });
    expect(request.file!.field).toBe('video');
    expect(request.file!.bytes.equals(readFileSync(clip.path))).toBe(true);
  });

  it('503 twice then 200 → succeeds on the third attempt, with exponential waits in between', async () => {
    const endpoint = await startEndpoint((_request, index) =>
      index < 2 ? { status: 503, body: 'upstream busy' } : { status: 200, body: JSON.stringify({ url: 'https://cdn.example.test/ok.mp4' }) },
    );
    const log = recordingLog();
    const { url } = await new HttpDestination(options(endpoint.origin), { log }).upload(clip, new AbortController().signal);
    expect(url).toBe('https://cdn.example.test/ok.mp4');
    expect(endpoint.received).toHaveLength(3);
    for (const request of endpoint.received) expect(request.file!.bytes.equals(readFileSync(clip.path))).toBe(true);
    const retries = log.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === 'clip upload failed, retrying');
    expect(retries.map((line) => [line.attempt, line.status, line.waitMs])).toEqual([
      [1, 503, 5],
      [2, 503, 10],
    ]);
    expect(log.lines.join('\n')).not.toContain(TOKEN);
    expect(log.lines.join('\n')).not.toContain(QUERY_KEY);
  });

  it('500 every time → SS_ERR_CLIPS_UPLOAD_FAILED after the configured attempts, with no secret anywhere', async () => {
    // The server even echoes the credentials back in its error body.
    const endpoint = await startEndpoint((request) => ({
      status: 500,
      body: JSON.stringify({ error: 'boom', echo: request.headers.authorization, url: `http://127.0.0.1${request.url}` }),
    }));
    const log = recordingLog();
    const error = await failure(new HttpDestination(options(endpoint.origin, { attempts: 4 }), { log }).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(endpoint.received).toHaveLength(4);
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain(`${endpoint.origin}/api/clips after 4 attempts`);
    expect(error.details).toMatchObject({ destination: 'http', clipId: 'Hq7Zt2', status: 500, attempts: 4, retryable: true, url: `${endpoint.origin}/api/clips` });
    const everything = [error.message, error.hint, JSON.stringify(serializeError(error)), JSON.stringify(error.details), String(error.cause), ...log.lines].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(QUERY_KEY);
    expect(everything).not.toContain('?key=');
  });

  it('the default is 3 attempts', async () => {
    const endpoint = await startEndpoint(() => ({ status: 502 }));
    const error = await failure(new HttpDestination(options(endpoint.origin)).upload(clip, new AbortController().signal));
    expect(endpoint.received).toHaveLength(3);
    expect(error.details).toMatchObject({ status: 502, attempts: 3 });
  });

  it('a 4xx is not retried (not retryable)', async () => {
    const endpoint = await startEndpoint(() => ({ status: 401, body: JSON.stringify({ error: 'bad token' }) }));
    const error = await failure(new HttpDestination(options(endpoint.origin)).upload(clip, new AbortController().signal));
    expect(endpoint.received).toHaveLength(1);
    expect(error.message).toContain('HTTP 401');
    expect(error.details).toMatchObject({ status: 401, attempts: 1, retryable: false });
  });

  it('429 is retried, honouring Retry-After up to backoff.maxMs', async () => {
    const endpoint = await startEndpoint((_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '30' } } : { status: 200, body: JSON.stringify({ url: 'https://cdn.example.test/a.mp4' }) },
    );
    const log = recordingLog();
    await new HttpDestination(options(endpoint.origin), { log }).upload(clip, new AbortController().signal);
    expect(endpoint.received).toHaveLength(2);
    expect(log.lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.status === 429)?.waitMs).toBe(50);
  });

  it('network failures are retried, then reported with the reason', async () => {
    const endpoint = await startEndpoint(() => 'hang-up');
    const error = await failure(new HttpDestination(options(endpoint.origin, { attempts: 2 })).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(endpoint.received).toHaveLength(2);
    expect(error.message).toContain('network error');
    expect(error.details).toMatchObject({ attempts: 2, retryable: true });
    expect(error.details.status).toBeUndefined();
    expect(JSON.stringify(serializeError(error))).not.toContain(QUERY_KEY);
  });

  it('a refused connection is a network error too', async () => {
    const endpoint = await startEndpoint(() => ({ status: 200 }));
    const origin = endpoint.origin;
    endpoint.server.close();
    const error = await failure(new HttpDestination(options(origin, { attempts: 2 })).upload(clip, new AbortController().signal));
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.details).toMatchObject({ attempts: 2, retryable: true });
  });

  it('a 200 without the URL field → not retryable', async () => {
    const endpoint = await startEndpoint(() => ({ status: 200, body: JSON.stringify({ id: 7 }) }));
    const error = await failure(new HttpDestination(options(endpoint.origin, { urlField: 'data.url' })).upload(clip, new AbortController().signal));
    expect(endpoint.received).toHaveLength(1);
    expect(error.message).toContain('the JSON has no string at "data.url"');
    expect(error.details.retryable).toBe(false);
  });

  it('an abort while waiting to retry rejects with SS_ERR_ABORTED', async () => {
    const controller = new AbortController();
    const endpoint = await startEndpoint(() => {
      controller.abort();
      return { status: 503 };
    });
    const error = await failure(new HttpDestination(options(endpoint.origin, { backoff: { initialMs: 60_000 } })).upload(clip, controller.signal));
    expect(error.code).toBe('SS_ERR_ABORTED');
  });

  it('rejects bad options with SS_ERR_CLIPS_DESTINATION_INVALID, and a missing clip as not retryable', async () => {
    expect(() => new HttpDestination({ url: 'ftp://example.test/' })).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
    expect(() => new HttpDestination({ url: 'not a url' })).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
    const error = await failure(new HttpDestination({ url: 'http://127.0.0.1:9/' }).upload({ ...clip, path: '/nonexistent/clip.mp4' }, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.details.retryable).toBe(false);
  });

  it('the kernel logger fits DestinationLogger', () => {
    const log: DestinationLogger = createLogger({ level: 'silent' });
    expect(new HttpDestination({ url: 'https://example.test/' }, { log }).kind).toBe('http');
  });
});
