import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '@streamsuites/kernel';
import {
  CaptureSupervisor,
  FfmpegEncoder,
  buildCaptureArgs,
  captureBackoffPolicy,
  parsePlaylist,
  playlistSeconds,
  runMedia,
  type CaptureStatusEvent,
  type CaptureSupervisorOptions,
} from '../src/media.js';
import { listDir, makeTempDir, removeDir, testSource, until } from './media-helpers.js';

let root: string;
const captures: CaptureSupervisor[] = [];
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(async () => {
  await Promise.all(captures.splice(0).map((c) => c.stop()));
  await removeDir(root);
});

/** A capture of a small real-time test source, with its status events recorded. */
function capture(overrides: Partial<CaptureSupervisorOptions> = {}): { sup: CaptureSupervisor; events: CaptureStatusEvent[]; changed: Set<() => void> } {
  const events: CaptureStatusEvent[] = [];
  const changed = new Set<() => void>();
  const sup = new CaptureSupervisor({
    creatorId: 'maya',
    dir: path.join(root, 'buffer'),
    input: testSource({ realtime: true, size: '160x90', rate: 15 }),
    maxClipSec: 10,
    marginSec: 5,
    backoff: { initialMs: 100, factor: 2, jitter: 0, resetAfterMs: 60_000 },
    stopGraceMs: 2000,
    onStatus: (e) => {
      events.push(e);
      for (const fn of [...changed]) fn();
    },
    ...overrides,
  });
  captures.push(sup);
  return { sup, events, changed };
}

const subscribeTo = (changed: Set<() => void>) => (check: () => void) => {
  changed.add(check);
  return () => changed.delete(check);
};

describe('playlist', () => {
  it('parses what the capture writes (durations, sequence, date-time, discontinuities)', () => {
    const p = parsePlaylist([
      '#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:1', '#EXT-X-MEDIA-SEQUENCE:41',
      '#EXTINF:1.000000,', '#EXT-X-PROGRAM-DATE-TIME:2026-11-27T08:21:41.725+0000', 'r1-000041.ts',
      '#EXTINF:0.966667,', 'r1-000042.ts',
      '#EXT-X-DISCONTINUITY', '#EXTINF:2.000000,', 'r2-000000.ts', '#EXT-X-ENDLIST', '',
    ].join('\n'));
    expect(p.mediaSequence).toBe(41);
    expect(p.ended).toBe(true);
    expect(p.segments.map((s) => [s.uri, s.sequence, s.startSec, s.discontinuity])).toEqual([
      ['r1-000041.ts', 41, 0, false],
      ['r1-000042.ts', 42, 1, false],
      ['r2-000000.ts', 43, 1.966667, true],
    ]);
    expect(p.segments[0]!.programDateTime).toBe(Date.parse('2026-11-27T08:21:41.725Z'));
    expect(playlistSeconds(p)).toBe(2); // the latest continuous run only
    expect(() => parsePlaylist('not a playlist')).toThrow(/EXTM3U/);
  });
});

describe('capture arguments', () => {
  it('encodes with libx264 veryfast + aac and a keyframe per segment; copies when asked', () => {
    const encode = buildCaptureArgs({ input: { url: 'https://cdn.example/live.m3u8?token=t' }, codecs: 'encode', segmentSec: 1, listSize: 75 });
    expect(encode.join(' ')).toContain('-i https://cdn.example/live.m3u8?token=t -c:v libx264 -preset veryfast');
    expect(encode.join(' ')).toContain('-force_key_frames expr:gte(t,n_forced*1) -c:a aac');
    expect(encode.join(' ')).toContain('-f hls -hls_time 1 -hls_list_size 75 -hls_delete_threshold 5 -hls_flags delete_segments+program_date_time+temp_file');
    expect(encode.at(-1)).toBe('index.m3u8');
    const copy = buildCaptureArgs({ input: { url: 'rtmp://live.example/app/key' }, codecs: 'copy', segmentSec: 2, listSize: 40 });
    expect(copy.join(' ')).toContain('-c copy -f hls -hls_time 2 -hls_list_size 40');
    expect(() => buildCaptureArgs({ input: { url: 'concat:/etc/passwd|x' }, codecs: 'copy', segmentSec: 1, listSize: 4 })).toThrow(/not allowed/);
    expect(() => buildCaptureArgs({ input: { args: ['-f', 'lavfi'] }, codecs: 'copy', segmentSec: 1, listSize: 4 })).toThrow(/-i/);
  });

  it('sizes the ring from the longest clip plus a margin', () => {
    const { sup } = capture({ maxClipSec: 60, marginSec: 15, segmentSec: 2 });
    expect(sup.windowSec).toBe(75);
    expect(sup.listSize).toBe(38);
    expect(() => capture({ maxClipSec: 60, marginSec: 15, windowSec: 30 })).toThrow(/shorter than maxClipSec \+ marginSec/);
  });

  it('backs off exponentially up to the cap', () => {
    const b = { initialMs: 500, factor: 2, maxMs: 5000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(captureBackoffPolicy(b), n))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    const jittered = backoffDelay(captureBackoffPolicy({ ...b, jitter: 0.5 }), 3);
    expect(jittered).toBeGreaterThanOrEqual(1000);
    expect(jittered).toBeLessThanOrEqual(2000);
    expect(captureBackoffPolicy()).toEqual({ initialMs: 500, maxMs: 30_000, factor: 2, jitter: { below: 0.2 } });
  });
});

describe('CaptureSupervisor (real ffmpeg, -re test source)', () => {
  it('captures a live source into the ring buffer, a clip is cut from it, stop() removes the buffer', async () => {
    const { sup, events } = capture();
    sup.start();
    await sup.waitForStatus('running', { timeoutMs: 10_000 });
    expect(events.map((e) => e.status)).toEqual(['starting', 'running']);
    expect(events[0]!.codecs).toBe('encode');
    const held = await sup.waitForBuffered(2, { timeoutMs: 10_000 });
    expect(held).toBeGreaterThanOrEqual(2);
    expect(await sup.bufferedSeconds()).toBeGreaterThanOrEqual(2);

    const encoder = new FfmpegEncoder();
    const result = await encoder.cut({ playlist: sup.playlistPath, seconds: 2, mode: 'copy', output: path.join(root, 'live.mp4') });
    expect(result.probe).toMatchObject({ hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac', width: 160, height: 90 });
    expect(Math.abs(result.probe.durationSec - 2)).toBeLessThanOrEqual(1);

    await sup.stop();
    expect(events.at(-1)).toMatchObject({ status: 'stopped', reason: 'requested' });
    expect(existsSync(sup.dir)).toBe(false);
    expect(sup.pid).toBeUndefined();
    await sup.stop(); // idempotent
  });

  it('restarts an ffmpeg killed with SIGKILL, with exponential backoff', async () => {
    const { sup, events, changed } = capture();
    const killed: number[] = [];
    // Kill the first two runs as soon as they start; let the third one run.
    sup.onStatus((e) => {
      if (e.status === 'starting' && killed.length < 2 && e.pid !== undefined) {
        killed.push(e.pid);
        process.kill(e.pid, 'SIGKILL');
      }
    });
    sup.start();
    await until('the third run to be running', 15_000, subscribeTo(changed), () => (events.filter((e) => e.status === 'running').length >= 1 ? true : undefined));
    const restarting = events.filter((e) => e.status === 'restarting');
    expect(restarting.map((e) => e.delayMs)).toEqual([100, 200]);
    expect(restarting.map((e) => e.attempt)).toEqual([1, 2]);
    for (const e of restarting) expect(e.reason).toMatch(/SIGKILL/);
    expect(events.map((e) => e.status)).toEqual(['starting', 'restarting', 'starting', 'restarting', 'starting', 'running']);
    const running = events.at(-1)!;
    expect(running.pid).toBeDefined();
    expect(killed).not.toContain(running.pid);
    expect(sup.restarts).toBe(2);

    // And once more while running: it is started again after the next, longer delay.
    process.kill(running.pid!, 'SIGKILL');
    const again = await until('a new run after the running one was killed', 15_000, subscribeTo(changed), () => events.slice(6).find((e) => e.status === 'starting'));
    expect(events.slice(6).map((e) => e.status)).toEqual(['restarting', 'starting']);
    expect(events[6]).toMatchObject({ attempt: 3, delayMs: 400 });
    expect(again.at - events[6]!.at).toBeGreaterThanOrEqual(390);
  });

  const fifoIt = process.platform === 'win32' ? it.skip : it;
  fifoIt('restarts a capture whose input never delivers (no playlist within startTimeoutMs)', async () => {
    const fifo = path.join(root, 'silent.fifo');
    execFileSync('mkfifo', [fifo]);
    const { sup, events, changed } = capture({ input: { args: ['-f', 'mpegts', '-i', fifo] }, startTimeoutMs: 400, maxRestarts: 1 });
    sup.start();
    await until('gave up', 10_000, subscribeTo(changed), () => events.find((e) => e.status === 'stopped'));
    expect(events.map((e) => e.status)).toEqual(['starting', 'restarting', 'starting', 'stopped']);
    expect(events[1]!.reason).toMatch(/no playlist within 400 ms/);
    expect(events[3]!.reason).toMatch(/gave up after 1 restarts/);
  });

  it('stops at once with SS_ERR_CLIPS_FFMPEG_MISSING and the hint when ffmpeg is missing', async () => {
    const { sup, events, changed } = capture({ ffmpegPath: path.join(root, 'nowhere', 'ffmpeg') });
    sup.start();
    const stopped = await until('stopped', 5000, subscribeTo(changed), () => events.find((e) => e.status === 'stopped'));
    expect(stopped.code).toBe('SS_ERR_CLIPS_FFMPEG_MISSING');
    expect(stopped.reason).toContain('ffmpegPath');
    expect(events.filter((e) => e.status === 'restarting')).toHaveLength(0);
  });

  it('codecs auto: copies an H.264/AAC url input, encodes anything else', async () => {
    const h264 = path.join(root, 'h264-aac.ts');
    const mpeg2 = path.join(root, 'mpeg2-mp2.ts');
    const src = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=15', '-f', 'lavfi', '-i', 'sine', '-t', '1'];
    await runMedia('ffmpeg', [...src, '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', h264]);
    await runMedia('ffmpeg', [...src, '-c:v', 'mpeg2video', '-c:a', 'mp2', mpeg2]);
    for (const [file, expected] of [[h264, 'copy'], [mpeg2, 'encode']] as const) {
      const { sup } = capture({ dir: path.join(root, `buf-${expected}`), input: () => ({ url: pathToFileURL(file).href, inputArgs: ['-re'] }) });
      sup.start();
      const starting = await sup.waitForStatus('starting', { timeoutMs: 10_000 });
      expect(starting.codecs).toBe(expected);
      await sup.stop();
    }
  });

  it('stop() leaves a folder that holds files other than the buffer', async () => {
    const { sup } = capture();
    await mkdir(sup.dir, { recursive: true });
    await writeFile(path.join(sup.dir, 'notes.txt'), 'mine');
    await writeFile(path.join(sup.dir, 'r9-000001.ts'), 'a stale segment of an earlier run');
    sup.start();
    const starting = await sup.waitForStatus('starting', { timeoutMs: 10_000 });
    expect(starting.pid).toBeDefined();
    await sup.stop();
    expect(await listDir(sup.dir)).toEqual(['notes.txt']);
  });
});
