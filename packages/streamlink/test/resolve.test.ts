import { getEventListeners } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { serializeError, type StreamSuitesError } from '@streamsuites/kernel';
import { createTempDirs } from '@streamsuites/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveStreamUrl } from '../src/index.js';
import { isRunning, writeStandInStreamlink as standIn } from '../src/testing.js';

const temp = createTempDirs('ss-streamlink-');
afterEach(() => temp.removeAll());

const PAGE = 'https://www.twitch.tv/daniel';
const TOKEN = 'tok3nSECRETsig42';
const STREAM = `https://video-weaver.example.net/v1/playlist/abc.m3u8?sig=${TOKEN}&token=${TOKEN}`;

async function rejection(promise: Promise<unknown>): Promise<StreamSuitesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as StreamSuitesError,
  );
  if (error === undefined) throw new Error('expected a rejection');
  return error;
}

/** Everything a log or a bus event could show of the error. */
function shown(error: StreamSuitesError): string {
  return `${error.message}\n${error.hint ?? ''}\n${JSON.stringify(serializeError(error))}\n${JSON.stringify(error.details)}`;
}

describe('resolveStreamUrl', () => {
  it('runs `streamlink --stream-url <page> <quality>` and resolves with the URL it prints', async () => {
    const program = standIn(temp.make(), { prints: STREAM });
    await expect(resolveStreamUrl(PAGE, { path: program.path })).resolves.toEqual({ url: STREAM });
    expect(program.calls().at(-1)).toEqual(['--stream-url', PAGE, 'best']);
  });

  it('passes the quality and the extra arguments (before --stream-url)', async () => {
    const program = standIn(temp.make(), { prints: STREAM });
    const extraArgs = ['--twitch-disable-ads', '--http-header', 'X-Test=1'];
    await expect(resolveStreamUrl(PAGE, { path: program.path, quality: '720p60,best', extraArgs })).resolves.toEqual({ url: STREAM });
    expect(program.calls().at(-1)).toEqual([...extraArgs, '--stream-url', PAGE, '720p60,best']);
  });

  it('finds `streamlink` on PATH by default', async () => {
    const dir = temp.make();
    const program = standIn(dir, { prints: STREAM });
    const saved = process.env.PATH;
    process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
    try {
      await expect(resolveStreamUrl(PAGE)).resolves.toEqual({ url: STREAM });
    } finally {
      process.env.PATH = saved;
    }
    expect(program.calls().at(-1)).toEqual(['--stream-url', PAGE, 'best']);
  });

  it('SS_ERR_STREAMLINK_MISSING when the program does not exist, with the install hint', async () => {
    const missing = path.join(temp.make(), 'no-such-streamlink');
    const error = await rejection(resolveStreamUrl(PAGE, { path: missing }));
    expect(error.code).toBe('SS_ERR_STREAMLINK_MISSING');
    expect(error.message).toContain(missing);
    expect(error.hint).toMatch(/apt install streamlink/);
    expect(error.hint).toMatch(/pipx install streamlink/);
    expect(error.details).toMatchObject({ errno: 'ENOENT' });
  });

  it('SS_ERR_STREAMLINK_MISSING when the file is not executable', async () => {
    const file = path.join(temp.make(), 'streamlink');
    writeFileSync(file, '#!/bin/sh\necho https://example.com/x.m3u8\n', { mode: 0o644 });
    const error = await rejection(resolveStreamUrl(PAGE, { path: file }));
    expect(error.code).toBe('SS_ERR_STREAMLINK_MISSING');
    expect(error.details).toMatchObject({ errno: 'EACCES' });
  });

  it('SS_ERR_STREAMLINK_FAILED saying the channel is offline on "No playable streams"', async () => {
    // streamlink --stream-url prints its errors on stdout.
    const program = standIn(temp.make(), { fails: { exitCode: 1, output: `error: No playable streams found on this URL: ${PAGE}` } });
    const error = await rejection(resolveStreamUrl(PAGE, { path: program.path }));
    expect(error.code).toBe('SS_ERR_STREAMLINK_FAILED');
    expect(error.message).toContain('exit code 1');
    expect(error.message).toContain('offline');
    expect(error.message).toContain(PAGE);
    expect(error.details).toMatchObject({ exitCode: 1, offline: true });
  });

  it('SS_ERR_STREAMLINK_FAILED quotes the last error line (stderr too), not earlier noise', async () => {
    const program = standIn(temp.make(), {
      script: `console.error('[cli][info] Found matching plugin twitch for URL ' + args[1]);
       console.error('error: Unable to validate response text: something changed');
       console.error('[cli][info] Closing currently open stream...');
       process.exit(3);`,
    });
    const error = await rejection(resolveStreamUrl(PAGE, { path: program.path }));
    expect(error.code).toBe('SS_ERR_STREAMLINK_FAILED');
    expect(error.message).toContain('exit code 3');
    expect(error.message).toMatch(/Unable to validate response text: something changed$/);
    expect(error.message).not.toContain('[cli]');
    expect(error.details).toMatchObject({ exitCode: 3, offline: false });
  });

  it('SS_ERR_STREAMLINK_FAILED never quotes a stream URL or what the redact option hides', async () => {
    const program = standIn(temp.make(), {
      script: `console.log('error: Unable to open URL: ${STREAM} (403 Client Error: channel-cookie-xyz)'); process.exit(1);`,
    });
    const error = await rejection(resolveStreamUrl(PAGE, { path: program.path, redact: (s) => s.replaceAll('channel-cookie-xyz', '[redacted]') }));
    expect(error.code).toBe('SS_ERR_STREAMLINK_FAILED');
    expect(shown(error)).not.toContain(TOKEN);
    expect(shown(error)).not.toContain('abc.m3u8'); // a path can hold a signature too (googlevideo)
    expect(shown(error)).not.toContain('channel-cookie-xyz');
    expect(error.message).toContain('Unable to open URL: https://video-weaver.example.net/…');
    expect(error.message).toContain('[redacted]');
  });

  it('SS_ERR_STREAMLINK_FAILED when killed by a signal', async () => {
    const program = standIn(temp.make(), { script: `process.kill(process.pid, 'SIGKILL');` });
    const error = await rejection(resolveStreamUrl(PAGE, { path: program.path }));
    expect(error.code).toBe('SS_ERR_STREAMLINK_FAILED');
    expect(error.message).toContain('killed by SIGKILL');
  });

  it.each([
    ['garbage', `console.log('Available streams: 160p, 360p, best');`, 'one line that is not an http(s) URL'],
    ['nothing', ``, 'nothing'],
    ['the URL and a stray line', `console.log(${JSON.stringify(STREAM)}); console.log('[cli][info] done');`, '2 lines'],
    ['a non-http URL', `console.log('file:///etc/passwd');`, 'one line that is not an http(s) URL'],
  ])('SS_ERR_STREAMLINK_BAD_OUTPUT when stdout is %s (exit 0), without quoting it', async (_name, body, problem) => {
    const program = standIn(temp.make(), { script: body });
    const error = await rejection(resolveStreamUrl(PAGE, { path: program.path }));
    expect(error.code).toBe('SS_ERR_STREAMLINK_BAD_OUTPUT');
    expect(error.message).toContain(problem);
    expect(shown(error)).not.toContain(TOKEN);
    expect(shown(error)).not.toContain('Available streams');
  });

  it('SS_ERR_STREAMLINK_TIMEOUT kills a streamlink that hangs (and ignores SIGTERM)', async () => {
    const program = standIn(temp.make(), { hangs: true });
    const started = performance.now();
    const error = await rejection(resolveStreamUrl(PAGE, { path: program.path, timeoutMs: 300 }));
    expect(error.code).toBe('SS_ERR_STREAMLINK_TIMEOUT');
    expect(error.message).toContain('300 ms');
    expect(performance.now() - started).toBeLessThan(5000);
    // Settled only once the child has exited: no process left behind.
    expect(isRunning(program.lastPid()!)).toBe(false);
  });

  it('an abort kills streamlink and rejects with SS_ERR_ABORTED', async () => {
    const program = standIn(temp.make(), { hangs: true });
    const controller = new AbortController();
    const pending = rejection(resolveStreamUrl(PAGE, { path: program.path, signal: controller.signal, timeoutMs: 60_000 }));
    await vi.waitFor(() => expect(program.lastPid()).toBeTypeOf('number'), { timeout: 10_000, interval: 20 });
    const pid = program.lastPid()!;
    expect(isRunning(pid)).toBe(true);
    controller.abort(new Error('capture stopped'));
    const error = await pending;
    expect(error.code).toBe('SS_ERR_ABORTED');
    expect((error.cause as Error).message).toBe('capture stopped');
    expect(isRunning(pid)).toBe(false);
  });

  it('an already aborted signal rejects without starting streamlink', async () => {
    const program = standIn(temp.make(), { prints: STREAM });
    const error = await rejection(resolveStreamUrl(PAGE, { path: program.path, signal: AbortSignal.abort() }));
    expect(error.code).toBe('SS_ERR_ABORTED');
    expect(program.calls()).toEqual([]);
  });

  it('leaves no abort listener behind, on success and on failure', async () => {
    const ok = standIn(temp.make(), { prints: STREAM });
    const failing = standIn(temp.make(), { script: `process.exit(1);` });
    const controller = new AbortController();
    await resolveStreamUrl(PAGE, { path: ok.path, signal: controller.signal });
    await rejection(resolveStreamUrl(PAGE, { path: failing.path, signal: controller.signal }));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
