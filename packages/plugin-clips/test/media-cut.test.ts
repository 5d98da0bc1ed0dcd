import { watch } from 'node:fs';
import { chmod, copyFile, link, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FfmpegEncoder,
  PLAYLIST_NAME,
  SS_ERR_CLIPS_CUT_INVALID,
  cutArgs,
  parsePlaylist,
  planCut,
  type PlaylistSegment,
} from '../src/media.js';
import { generateBuffer, listDir, makeTempDir, removeDir } from './media-helpers.js';

// One 16 s ring buffer (1 s segments, 320x180 30 fps + 48 kHz sine), generated
// faster than real time with the capture's own arguments, shared by the cuts.
const BUFFER_SEC = 16;
let root: string;
let playlist: string;
const encoder = new FfmpegEncoder();

beforeAll(async () => {
  root = await makeTempDir();
  await mkdir(path.join(root, 'buffer'));
  playlist = await generateBuffer(path.join(root, 'buffer'), { seconds: BUFFER_SEC });
});
afterAll(async () => {
  await removeDir(root);
});

const out = (name: string) => path.join(root, 'out', name);

describe('FfmpegEncoder.cut (real ffmpeg)', () => {
  it('cuts a 10 s clip by stream copy: ffprobe says 10 s ± 1 s with video and audio, no partial file left', async () => {
    const result = await encoder.cut({ playlist, seconds: 10, mode: 'copy', output: out('copy.mp4') });
    expect(result.output).toBe(out('copy.mp4'));
    expect(result.clamped).toBe(false);
    expect(result.seconds).toBe(10);
    const probed = await encoder.probe(out('copy.mp4'));
    expect(Math.abs(probed.durationSec - 10)).toBeLessThanOrEqual(1);
    expect(probed).toMatchObject({ hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 180 });
    expect(result.probe).toEqual(probed);
    expect(result.elapsedMs).toBeGreaterThan(0);
    expect(await listDir(path.join(root, 'out'))).toEqual(['copy.mp4']);
    // faststart: the moov box comes before the media data.
    const head = (await readFile(out('copy.mp4'))).subarray(0, 4096).toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(-1);
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? Infinity : head.indexOf('mdat'));
  });

  it('re-encodes (libx264 + aac) to the exact length, also with a latency offset', async () => {
    const result = await encoder.cut({ playlist, seconds: 4.5, offsetSec: 2.25, mode: 'reencode', output: out('reencode.mp4') });
    expect(result.seconds).toBe(4.5);
    expect(Math.abs(result.probe.durationSec - 4.5)).toBeLessThanOrEqual(0.1);
    expect(result.probe).toMatchObject({ hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac' });
  });

  it('stream copy with an offset ends exactly there and starts on the nearest segment boundary', async () => {
    const result = await encoder.cut({ playlist, seconds: 4.2, offsetSec: 2.5, mode: 'copy', output: out('offset.mp4') });
    // End at 13.5 s; wanted start 9.3 s → boundary 9 s → 4.5 s.
    expect(result.seconds).toBe(4.5);
    expect(Math.abs(result.probe.durationSec - 4.5)).toBeLessThanOrEqual(0.1);
  });

  it('clamps a request longer than the buffer', async () => {
    const result = await encoder.cut({ playlist, seconds: 60, mode: 'copy', output: out('clamped.mp4') });
    expect(result.clamped).toBe(true);
    expect(result.seconds).toBe(BUFFER_SEC);
    expect(Math.abs(result.probe.durationSec - BUFFER_SEC)).toBeLessThanOrEqual(1);
    const reencoded = await encoder.cut({ playlist, seconds: 30, offsetSec: 4, mode: 'reencode', output: out('clamped-re.mp4') });
    expect(reencoded).toMatchObject({ clamped: true, seconds: BUFFER_SEC - 4 });
  });

  it('rejects invalid requests with SS_ERR_CLIPS_CUT_INVALID before running anything', async () => {
    const base = { playlist, seconds: 5, mode: 'copy' as const, output: out('invalid.mp4') };
    const bad: unknown[] = [
      { ...base, seconds: 0 },
      { ...base, seconds: 0.5 },
      { ...base, seconds: 301 },
      { ...base, seconds: Number.NaN },
      { ...base, seconds: '10' },
      { ...base, offsetSec: -1 },
      { ...base, offsetSec: Number.POSITIVE_INFINITY },
      { ...base, mode: 'fast' },
      { ...base, output: `${out('a')}\0.mp4` },
      { ...base, output: `${out('a')}\n.mp4` },
      { ...base, playlist: '' },
      { ...base, output: playlist },
      null,
    ];
    for (const request of bad) {
      const error = await encoder.cut(request as never).catch((e: unknown) => e);
      expect(SS_ERR_CLIPS_CUT_INVALID.is(error), JSON.stringify(request)).toBe(true);
    }
    expect(await listDir(path.join(root, 'out'))).not.toContain('invalid.mp4');
  });

  it('reports a missing or exhausted buffer as SS_ERR_CLIPS_BUFFER_EMPTY', async () => {
    await expect(encoder.cut({ playlist: path.join(root, 'none', PLAYLIST_NAME), seconds: 5, mode: 'copy', output: out('x.mp4') }))
      .rejects.toMatchObject({ code: 'SS_ERR_CLIPS_BUFFER_EMPTY' });
    await expect(encoder.cut({ playlist, seconds: 5, offsetSec: 15.5, mode: 'copy', output: out('x.mp4') }))
      .rejects.toMatchObject({ code: 'SS_ERR_CLIPS_BUFFER_EMPTY' });
  });

  it('refuses playlists that point outside the buffer folder or at protocols', async () => {
    for (const uri of ['../../etc/passwd', 'http://127.0.0.1:9/seg.ts', 'a|b.ts', '/abs/seg.ts', '-i.ts']) {
      const dir = path.join(root, 'evil');
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, PLAYLIST_NAME), `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${uri}\n#EXTINF:1.0,\nr1-000000.ts\n`);
      await expect(encoder.cut({ playlist: path.join(dir, PLAYLIST_NAME), seconds: 1, mode: 'copy', output: out('evil.mp4') }))
        .rejects.toMatchObject({ code: 'SS_ERR_CLIPS_PLAYLIST_INVALID' });
    }
  });

  it('removes the partial file when verification fails (no audio in the buffer)', async () => {
    const dir = path.join(root, 'silent');
    await mkdir(dir);
    const silent = await generateBuffer(dir, { seconds: 3, audio: false });
    const error = await encoder.cut({ playlist: silent, seconds: 2, mode: 'copy', output: out('silent.mp4') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_CLIPS_VERIFY_FAILED' });
    expect((error as Error).message).toContain('no audio stream');
    const files = await listDir(path.join(root, 'out'));
    expect(files.filter((f) => f.startsWith('silent'))).toEqual([]);
    // Allowed when the encoder does not require audio.
    const ok = await new FfmpegEncoder({ requireAudio: false }).cut({ playlist: silent, seconds: 2, mode: 'copy', output: out('silent.mp4') });
    expect(ok.probe.hasAudio).toBe(false);
  });

  it('aborts a running cut with SS_ERR_ABORTED and removes the partial file', async () => {
    const dir = path.join(root, 'out', 'abort');
    await mkdir(dir, { recursive: true });
    const controller = new AbortController();
    // Abort as soon as ffmpeg creates the .part file.
    const watcher = watch(dir, (_e, file) => {
      if (String(file).endsWith('.part')) controller.abort(new Error('clip cancelled'));
    });
    try {
      const error = await encoder.cut({ playlist, seconds: 15, mode: 'reencode', output: path.join(dir, 'aborted.mp4') }, controller.signal).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SS_ERR_ABORTED' });
    } finally {
      watcher.close();
    }
    expect(await listDir(dir)).toEqual([]);
  });

  it('passes long segment lists through a concatf list file (Windows command-line limit)', async () => {
    // The same media under 180-character segment names: 10 of them exceed the inline limit.
    const dir = path.join(root, 'long-names');
    await mkdir(dir);
    const source = parsePlaylist(await readFile(playlist, 'utf8'));
    const lines = ['#EXTM3U', '#EXT-X-TARGETDURATION:1', '#EXT-X-MEDIA-SEQUENCE:0'];
    for (const [i, s] of source.segments.slice(-12).entries()) {
      const name = `${'x'.repeat(170)}-${String(i).padStart(6, '0')}.ts`;
      await link(path.join(path.dirname(playlist), s.uri), path.join(dir, name)).catch(() => copyFile(path.join(path.dirname(playlist), s.uri), path.join(dir, name)));
      lines.push(`#EXTINF:${s.durationSec.toFixed(6)},`, name);
    }
    await writeFile(path.join(dir, PLAYLIST_NAME), `${lines.join('\n')}\n`);
    const result = await encoder.cut({ playlist: path.join(dir, PLAYLIST_NAME), seconds: 10, mode: 'copy', output: out('long.mp4') });
    expect(Math.abs(result.probe.durationSec - 10)).toBeLessThanOrEqual(1);
    expect((await listDir(path.join(root, 'out'))).filter((f) => f.startsWith('long'))).toEqual(['long.mp4']);
  });
});

const posixOnly = process.platform === 'win32' ? it.skip : it;

/**
 * The real ffmpeg behind a wrapper that damages what it wrote once it exits
 * cleanly (a full disk, a crash of the writer, a broken muxer): the cut's
 * own verification must catch it. Stdio is passed through, so it also works
 * as the pre-started ffmpeg (its script on stdin, its banner on stderr).
 */
async function damagingFfmpeg(name: string, damage: 'truncate' | 'empty' | 'zero-first-sample'): Promise<string> {
  const file = path.join(root, `ffmpeg-${name}`);
  await writeFile(file, [
    `#!${process.execPath}`,
    "const fs = require('node:fs');",
    "const { spawnSync } = require('node:child_process');",
    "const run = spawnSync('ffmpeg', process.argv.slice(2), { stdio: 'inherit' });",
    "const out = process.argv.at(-1).replace(/^file:/, '');",
    'if (run.status === 0) {',
    `  const damage = ${JSON.stringify(damage)};`,
    "  if (damage === 'empty') fs.truncateSync(out, 0);",
    "  if (damage === 'truncate') fs.truncateSync(out, Math.floor(fs.statSync(out).size * 0.6));",
    "  if (damage === 'zero-first-sample') {",
    '    const b = fs.readFileSync(out);',
    "    const first = b.readUInt32BE(b.indexOf('stco') + 12);",
    '    b.fill(0, first, first + 64);',
    '    fs.writeFileSync(out, b);',
    '  }',
    '}',
    'process.exit(run.status ?? 1);',
  ].join('\n'));
  await chmod(file, 0o755);
  return file;
}

describe('FfmpegEncoder.cut verifies what ffmpeg wrote', () => {
  for (const prestart of [false, true]) {
    posixOnly(`a truncated, empty or damaged mp4 fails the cut with SS_ERR_CLIPS_VERIFY_FAILED and is removed (${prestart ? 'pre-started' : 'spawned'} ffmpeg)`, async () => {
      const cases = [
        ['truncate', /the file is truncated: /],
        ['empty', /the file is empty/],
        ['zero-first-sample', /the first video sample is not valid length-prefixed NAL units/],
      ] as const;
      for (const [damage, reason] of cases) {
        const dir = path.join(root, 'out', `damaged-${damage}-${prestart}`);
        const ffmpeg = await damagingFfmpeg(`${damage}-${prestart}`, damage);
        const damaging = new FfmpegEncoder({ binaries: { ffmpeg, ffprobe: 'ffprobe', source: 'config' }, prestart });
        try {
          if (prestart) expect(await damaging.prepare(dir)).toBe(true);
          const error = await damaging.cut({ playlist, seconds: 8, mode: 'copy', output: path.join(dir, 'clip.mp4') }).catch((e: unknown) => e);
          expect(error, damage).toMatchObject({ code: 'SS_ERR_CLIPS_VERIFY_FAILED' });
          expect((error as Error).message, damage).toMatch(reason);
          expect(await listDir(dir), damage).toEqual([]);
        } finally {
          await damaging.close();
        }
      }
    });
  }

  it('a buffer shorter than its playlist says: the short clip fails on its duration', async () => {
    // The same segments, each claimed to last 3 s: the plan expects 3x what ffmpeg can write.
    const dir = path.join(root, 'lying');
    await mkdir(dir);
    const source = parsePlaylist(await readFile(playlist, 'utf8'));
    const lines = ['#EXTM3U', '#EXT-X-TARGETDURATION:3', '#EXT-X-MEDIA-SEQUENCE:0'];
    for (const s of source.segments.slice(-4)) {
      await link(path.join(path.dirname(playlist), s.uri), path.join(dir, s.uri)).catch(() => copyFile(path.join(path.dirname(playlist), s.uri), path.join(dir, s.uri)));
      lines.push('#EXTINF:3.000000,', s.uri);
    }
    await writeFile(path.join(dir, PLAYLIST_NAME), `${lines.join('\n')}\n`);
    for (const prestart of [false, true]) {
      const out = path.join(root, 'out', `lying-${prestart}`);
      const lied = new FfmpegEncoder({ prestart });
      try {
        if (prestart) expect(await lied.prepare(out)).toBe(true);
        const error = await lied.cut({ playlist: path.join(dir, PLAYLIST_NAME), seconds: 12, mode: 'copy', output: path.join(out, 'short.mp4') }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'SS_ERR_CLIPS_VERIFY_FAILED' });
        expect((error as Error).message).toMatch(/duration 4(\.\d+)? s, expected 12 s ± 1 s/);
        expect(await listDir(out)).toEqual([]);
      } finally {
        await lied.close();
      }
    }
  });
});

describe('planCut', () => {
  const segs = (durations: number[]): PlaylistSegment[] => {
    let start = 100; // a playlist whose times do not start at 0
    return durations.map((d, i) => {
      const s = { uri: `r1-${String(i).padStart(6, '0')}.ts`, durationSec: d, sequence: i, startSec: start, discontinuity: false };
      start += d;
      return s;
    });
  };

  it('copy: the whole segments of the window when it is aligned', () => {
    const plan = planCut('p', segs(Array(20).fill(1)), { seconds: 10, offsetSec: 0, mode: 'copy' });
    expect(plan).toEqual({ segments: segs(Array(20).fill(1)).slice(10).map((s) => s.uri), skipSec: 0, durationSec: 10, clamped: false, bufferedSec: 20 });
  });

  it('copy: the nearest boundary (within half a segment of the request), the end cut exactly', () => {
    const two = segs(Array(10).fill(2));
    // End 20 - 0.5 = 19.5; start wanted 19.5 - 6.8 = 12.7: boundaries 12 (0.7 away) / 14 (1.3 away) → 12.
    expect(planCut('p', two, { seconds: 6.8, offsetSec: 0.5, mode: 'copy' })).toMatchObject({ durationSec: 7.5, skipSec: 0 });
    // Start wanted 13.5 → 14 is nearer → 5.5 s from segment 7.
    const later = planCut('p', two, { seconds: 6, offsetSec: 0.5, mode: 'copy' });
    expect(later).toMatchObject({ durationSec: 5.5 });
    expect(later.segments[0]).toBe(two[7]!.uri);
    // A tie takes the earlier boundary (the clip covers the request).
    expect(planCut('p', two, { seconds: 5, offsetSec: 0, mode: 'copy' })).toMatchObject({ durationSec: 6 });
  });

  it('reencode: exact, skipping into the first segment', () => {
    const plan = planCut('p', segs(Array(10).fill(2)), { seconds: 6.8, offsetSec: 0.5, mode: 'reencode' });
    expect(plan).toMatchObject({ skipSec: 0.7, durationSec: 6.8, clamped: false });
    expect(plan.segments).toHaveLength(4);
  });

  it('clamps to what the buffer holds; refuses an empty window', () => {
    expect(planCut('p', segs([1, 1, 1]), { seconds: 30, offsetSec: 0.5, mode: 'copy' })).toMatchObject({ clamped: true, durationSec: 2.5 });
    expect(() => planCut('p', [], { seconds: 5, offsetSec: 0, mode: 'copy' })).toThrow(/no segments/);
    expect(() => planCut('p', segs([1, 1]), { seconds: 5, offsetSec: 1.5, mode: 'copy' })).toThrow(/less than 1 s/);
  });

  it('builds copy and re-encode argument lists (file: output, faststart)', () => {
    const plan = { segments: ['a.ts', 'b.ts'], skipSec: 0.25, durationSec: 1.5, clamped: false, bufferedSec: 2 };
    const copy = cutArgs('concat:a.ts|b.ts', plan, 'copy', '/tmp/x.mp4.part');
    expect(copy).toEqual(['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', 'concat:a.ts|b.ts', '-map', '0:v:0', '-map', '0:a:0?',
      '-t', '1.500', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', `file:${path.resolve('/tmp/x.mp4.part')}`]);
    const re = cutArgs('concat:a.ts|b.ts', plan, 'reencode', '/tmp/x.mp4.part').join(' ');
    expect(re).toContain('-ss 0.250 -t 1.500 -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k');
  });
});
