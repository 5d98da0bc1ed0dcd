import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlaylist } from '../src/capture/playlist.js';
import { TS_PACKET_SIZE, mpegTsStartSec } from '../src/cut/mpegts.js';
import { runMedia } from '../src/ffmpeg/process.js';
import { generateBuffer, makeTempDir, removeDir } from './media-helpers.js';

let root: string;
let playlist: string;
beforeAll(async () => {
  root = await makeTempDir('ss-clips-ts-');
  await mkdir(path.join(root, 'buffer'));
  playlist = await generateBuffer(path.join(root, 'buffer'), { seconds: 4 });
});
afterAll(async () => {
  await removeDir(root);
});

/** ffprobe's start time of a file (what ffmpeg uses for -t and the concat outpoint). */
async function ffprobeStart(file: string): Promise<number> {
  const run = await runMedia('ffprobe', ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', file], { captureStdout: true, timeoutMs: 30_000 });
  return Number(run.stdout.trim());
}

/** One TS packet starting a PES of `streamId` on `pid` with a 33-bit `pts`. */
function pesPacket(pid: number, streamId: number, pts: number): Buffer {
  const p = Buffer.alloc(TS_PACKET_SIZE, 0xff);
  p[0] = 0x47;
  p[1] = 0x40 | (pid >> 8);
  p[2] = pid & 0xff;
  p[3] = 0x10;
  const hi = Math.floor(pts / 2 ** 30);
  const mid = Math.floor(pts / 2 ** 15) % 2 ** 15;
  const lo = pts % 2 ** 15;
  Buffer.from([0, 0, 1, streamId, 0, 0, 0x80, 0x80, 5, 0x21 | (hi << 1), mid >> 7, ((mid & 0x7f) << 1) | 1, lo >> 7, ((lo & 0x7f) << 1) | 1]).copy(p, 4);
  return p;
}

describe('mpegTsStartSec', () => {
  it("is ffprobe's start time for every segment of a real ring buffer", async () => {
    const { segments } = parsePlaylist(await readFile(playlist, 'utf8'));
    expect(segments.length).toBeGreaterThanOrEqual(4);
    for (const s of segments) {
      const file = path.join(path.dirname(playlist), s.uri);
      expect(mpegTsStartSec(await readFile(file))).toBeCloseTo(await ffprobeStart(file), 6);
    }
  });

  it('takes the earliest first PTS over audio and video PIDs; ignores other stream ids and continuation packets', () => {
    const data = Buffer.concat([
      pesPacket(0x100, 0xe0, 900_000), // video 10 s
      pesPacket(0x101, 0xc0, 899_100), // audio 9.99 s
      pesPacket(0x102, 0xbd, 1000), // private stream (e.g. ID3): not counted
      pesPacket(0x100, 0xe0, 100), // a later PES of the video PID: only the first counts
    ]);
    expect(mpegTsStartSec(data)).toBeCloseTo(9.99, 9);
  });

  it("follows ffmpeg's wrap rule: within 60 s before 2^33 the start is negative", () => {
    const wrap = 2 ** 33;
    expect(mpegTsStartSec(pesPacket(0x100, 0xe0, wrap - 30 * 90_000))).toBeCloseTo(-30, 9);
    expect(mpegTsStartSec(pesPacket(0x100, 0xe0, wrap - 61 * 90_000))).toBeCloseTo((wrap - 61 * 90_000) / 90_000, 6);
  });

  it('resyncs on a leading partial packet; undefined for data that is not MPEG-TS or has no PES', () => {
    const packet = pesPacket(0x100, 0xe0, 90_000);
    expect(mpegTsStartSec(Buffer.concat([Buffer.alloc(50, 7), packet, packet, packet]))).toBe(1);
    expect(mpegTsStartSec(Buffer.alloc(2000, 0))).toBeUndefined();
    expect(mpegTsStartSec(Buffer.from('#EXTM3U\n'))).toBeUndefined();
    const noPes = Buffer.alloc(TS_PACKET_SIZE, 0xff);
    noPes[0] = 0x47;
    expect(mpegTsStartSec(noPes)).toBeUndefined();
    // Sync lost after the first packet: damaged, not guessed at.
    expect(mpegTsStartSec(Buffer.concat([packet, packet, packet, Buffer.alloc(TS_PACKET_SIZE, 1)]))).toBeUndefined();
  });
});
