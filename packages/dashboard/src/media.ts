import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { fileETag, notModified, rangeRequest } from './conditional.js';
import { baseHeaders, sendError, sendNotModified } from './respond.js';

/** The folder under the state root whose clip videos and poster frames are served. */
export const MEDIA_PREFIX = 'runtime/media/';

const MEDIA_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
};

/** The Content-Type of a media file, or undefined for any other kind (refused: `not-media`). */
export function mediaType(file: string): string | undefined {
  return MEDIA_TYPES[extname(file).toLowerCase()];
}

/** True for a request path (segments below /state/) inside runtime/media/. */
export function isMediaPath(segments: readonly string[]): boolean {
  return segments.length > 2 && segments[0]!.toLowerCase() === 'runtime' && segments[1]!.toLowerCase() === 'media';
}

/**
 * Sends a media file (already resolved inside the root and checked to be
 * media): ETag from size and mtime, `If-None-Match` → 304, one byte range →
 * 206, an unsatisfiable one → 416, else 200. Streams from one open file
 * descriptor, so the size announced is the size of the file being read.
 */
export async function sendMedia(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  type: string,
  extra: Record<string, string>,
): Promise<void> {
  const handle = await open(file, 'r');
  let streaming = false;
  try {
    const stats = await handle.stat();
    const size = stats.size;
    const etag = fileETag(size, stats.mtimeMs);
    const headers = { ...extra, 'Cache-Control': 'no-cache', 'Accept-Ranges': 'bytes', ETag: etag };
    if (notModified(req, etag)) {
      sendNotModified(res, headers);
      return;
    }
    const range = rangeRequest(req, size, etag);
    if (range.kind === 'unsatisfiable') {
      sendError(req, res, 416, 'range-not-satisfiable', `the requested range is outside the file's ${size} bytes`, {
        ...extra,
        'Accept-Ranges': 'bytes',
        'Content-Range': `bytes */${size}`,
      });
      return;
    }
    const [status, start, end] = range.kind === 'partial' ? [206, range.start, range.end] : [200, 0, size - 1];
    res.writeHead(
      status,
      baseHeaders({
        ...headers,
        'Content-Type': type,
        'Content-Length': end - start + 1,
        ...(status === 206 ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
      }),
    );
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    const stream = handle.createReadStream({ start, end, autoClose: true });
    streaming = true;
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  } finally {
    if (!streaming) await handle.close();
  }
}
