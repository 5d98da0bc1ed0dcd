import { copyFile, mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPicture, inspectMp4 } from '../src/cut/mp4.js';
import { probeMedia } from '../src/ffmpeg/probe.js';
import { runMedia } from '../src/ffmpeg/process.js';
import { generateBuffer, makeTempDir, removeDir } from './media-helpers.js';

// Real mp4s written by ffmpeg from a real ring buffer (stream copy with and
// without +faststart, a libx264/aac re-encode with B-frames, video only), read
// in-process and compared with ffprobe; then damaged copies of them.
let root: string;
const files: Record<'copy' | 'copyMoovLast' | 'reencode' | 'silent', string> = { copy: '', copyMoovLast: '', reencode: '', silent: '' };

beforeAll(async () => {
  root = await makeTempDir('ss-clips-mp4-');
  await mkdir(path.join(root, 'buffer'));
  await mkdir(path.join(root, 'silent'));
  const playlist = await generateBuffer(path.join(root, 'buffer'), { seconds: 4 });
  const silent = await generateBuffer(path.join(root, 'silent'), { seconds: 2, audio: false });
  const cut = async (name: string, input: string, args: string[]) => {
    const file = path.join(root, name);
    await runMedia('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', input, '-map', '0:v:0', '-map', '0:a:0?', ...args, '-f', 'mp4', file], { timeoutMs: 60_000 });
    return file;
  };
  files.copy = await cut('copy.mp4', playlist, ['-c', 'copy', '-movflags', '+faststart']);
  files.copyMoovLast = await cut('moov-last.mp4', playlist, ['-c', 'copy']);
  files.reencode = await cut('reencode.mp4', playlist, ['-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', '-movflags', '+faststart']);
  files.silent = await cut('silent.mp4', silent, ['-c', 'copy', '-movflags', '+faststart']);
}, 60_000);
afterAll(async () => {
  await removeDir(root);
});

async function damaged(source: string, name: string, change: (bytes: Buffer) => Buffer | void): Promise<string> {
  const bytes = await readFile(source);
  const file = path.join(root, name);
  await writeFile(file, change(bytes) ?? bytes);
  return file;
}

describe('inspectMp4 on what ffmpeg writes', () => {
  it.each(['copy', 'copyMoovLast', 'reencode', 'silent'] as const)('%s: finds no problem and reports what ffprobe reports', async (kind) => {
    const inspected = await inspectMp4(files[kind]);
    expect(inspected.problems).toEqual([]);
    expect(inspected.probe).toEqual(await probeMedia(files[kind]));
    expect(inspected.moovFirst).toBe(kind !== 'copyMoovLast');
  });

  it('reads the tracks: codecs, sizes, sample counts, sync first samples', async () => {
    const { tracks, probe } = await inspectMp4(files.reencode);
    expect(tracks.map((t) => [t.handler, t.format, t.codec])).toEqual([['vide', 'avc1', 'h264'], ['soun', 'mp4a', 'aac']]);
    expect(tracks[0]).toMatchObject({ width: 320, height: 180, firstSampleSync: true });
    expect(tracks[0]!.samples).toBe(probe.videoFrames);
    expect(tracks[0]!.samples).toBeGreaterThanOrEqual(119);
    expect(tracks[1]!.samples).toBeGreaterThan(150); // 4 s of 1024-sample AAC frames at 48 kHz
  });
});

describe('inspectMp4 on damaged files', () => {
  it('an empty file', async () => {
    const file = path.join(root, 'empty.mp4');
    await writeFile(file, '');
    expect((await inspectMp4(file)).problems).toEqual(['the file is empty']);
  });

  it('a faststart file cut short: the media data and samples past the end', async () => {
    const file = path.join(root, 'short.mp4');
    await copyFile(files.copy, file);
    const { fileSize } = await inspectMp4(file);
    await truncate(file, Math.floor(fileSize / 2));
    const { problems, probe } = await inspectMp4(file);
    expect(problems[0]).toMatch(/^the file is truncated: the "mdat" box needs \d+ bytes, the file has \d+$/);
    expect(problems.some((p) => /video sample \d+ of \d+ ends at byte/.test(p))).toBe(true);
    // ffprobe still reads the full duration from the moov: it would not have noticed.
    expect(probe.durationSec).toBe((await probeMedia(files.copy)).durationSec);
  });

  it('a file whose moov was never written (cut short before the end)', async () => {
    const file = path.join(root, 'no-moov.mp4');
    await copyFile(files.copyMoovLast, file);
    await truncate(file, 100_000);
    const { problems, probe } = await inspectMp4(file);
    expect(problems).toContain('no moov box (the file was not finished)');
    expect(probe).toMatchObject({ hasVideo: false, hasAudio: false });
  });

  it('zeroed sample tables, a zeroed moov, garbage between boxes', async () => {
    const stsz = await damaged(files.copy, 'stsz.mp4', (b) => {
      const at = b.indexOf('stsz');
      b.writeUInt32BE(0xffffff, at + 12); // sample count far beyond the table
    });
    expect((await inspectMp4(stsz)).problems).toEqual(['the moov box is damaged: the "stsz" box is too short']);
    const moov = await damaged(files.copy, 'moov.mp4', (b) => {
      const at = b.indexOf('moov');
      b.fill(0, at + 120, at + 400);
    });
    expect((await inspectMp4(moov)).problems[0]).toMatch(/^the moov box is damaged: /);
    const gap = await damaged(files.copy, 'gap.mp4', (b) => {
      const mdat = b.indexOf('mdat') - 4;
      return Buffer.concat([b.subarray(0, mdat), Buffer.alloc(8), b.subarray(mdat)]);
    });
    expect((await inspectMp4(gap)).problems[0]).toMatch(/^no valid box at byte \d+/);
  });

  it('sample offsets that point outside the media data', async () => {
    const file = await damaged(files.copy, 'offsets.mp4', (b) => {
      const at = b.indexOf('stco');
      b.writeUInt32BE(8, at + 12); // the first chunk "starts" inside ftyp
    });
    expect((await inspectMp4(file)).problems.join('\n')).toMatch(/video sample 1 of \d+ \(bytes 8-\d+\) is outside the media data/);
  });

  it('a first video sample whose bytes are not NAL units', async () => {
    const file = await damaged(files.copy, 'nal.mp4', (b) => {
      const first = b.readUInt32BE(b.indexOf('stco') + 12); // the video track's first chunk
      b.fill(0, first, first + 64);
    });
    const { problems } = await inspectMp4(file);
    expect(problems).toEqual(['the first video sample is not valid length-prefixed NAL units (damaged media data)']);
  });

  it('a track whose first sample is not a sync sample starts without a keyframe', async () => {
    // ffmpeg with -copyinkf copies the frames before the first keyframe after -ss.
    const file = path.join(root, 'no-key.mp4');
    await runMedia('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', files.copy, '-ss', '0.5', '-copyinkf', '-c', 'copy', '-f', 'mp4', file], { timeoutMs: 30_000 });
    const { probe, problems } = await inspectMp4(file);
    expect(problems).toEqual([]);
    expect(probe.startsWithKeyframe).toBe(false);
    expect((await probeMedia(file)).startsWithKeyframe).toBe(false);
  });
});

describe('firstPicture (length-prefixed H.264 / HEVC NAL units)', () => {
  const nal = (bytes: number[]) => [0, 0, 0, bytes.length, ...bytes];
  const sample = (...nals: number[][]) => Uint8Array.from(nals.flat());

  it('H.264: an IDR after SEI/SPS/PPS is key; a P slice is not; an I slice is', () => {
    expect(firstPicture(sample(nal([0x06, 1, 2]), nal([0x67, 1]), nal([0x68, 1]), nal([0x65, 0x88, 0x80])), 4, 'avc1', true)).toBe('key');
    // first_mb_in_slice 0 ("1"), slice_type 5 = P ("00110"): 0b1001_1000
    expect(firstPicture(sample(nal([0x41, 0x98])), 4, 'avc1', true)).toBe('not-key');
    // slice_type 7 = I ("0001000"): 0b1000_1000 0b0...
    expect(firstPicture(sample(nal([0x41, 0x88, 0x00])), 4, 'avc1', true)).toBe('key');
  });

  it('HEVC: IDR/CRA are key, TRAIL is not', () => {
    expect(firstPicture(sample(nal([0x40, 1]), nal([0x26, 1])), 4, 'hvc1', true)).toBe('key'); // VPS, IDR_W_RADL (19)
    expect(firstPicture(sample(nal([0x2a, 1])), 4, 'hvc1', true)).toBe('key'); // CRA (21)
    expect(firstPicture(sample(nal([0x02, 1])), 4, 'hvc1', true)).toBe('not-key'); // TRAIL_R (1)
  });

  it('lengths that do not tile the sample, zero lengths, the forbidden bit: malformed; bytes that end early: unknown', () => {
    expect(firstPicture(sample([0, 0, 0, 9, 0x65, 1]), 4, 'avc1', true)).toBe('malformed');
    expect(firstPicture(sample([0, 0, 0, 0]), 4, 'avc1', true)).toBe('malformed');
    expect(firstPicture(sample(nal([0xe5, 1])), 4, 'avc1', true)).toBe('malformed');
    expect(firstPicture(sample(nal([0x06, 1])), 4, 'avc1', true)).toBe('malformed'); // no slice
    expect(firstPicture(sample([0, 0, 0x10, 0, 0x06, 1]), 4, 'avc1', false)).toBe('unknown');
  });
});
