// Benchmark: a 30 s clip from the capture's HLS ring buffer, from the cut
// request to a verified mp4 (FfmpegEncoder.cut: playlist read, plan, ffmpeg,
// ffprobe verification, rename), by stream copy and by libx264 veryfast
// re-encode, on the same buffer in the same run.
//
// The ring buffer (45 s of 1280x720 30 fps testsrc2 + a 48 kHz sine, 1 s
// segments, written with the capture's own ffmpeg arguments) is generated
// faster than real time before timing; its x264 preset is ultrafast so the
// set-up is quick (larger segments than a veryfast capture: copy moves more
// bytes, so the copy figure is, if anything, pessimistic).
//
// Run from the repo root:
//   NODE_ENV=production node --conditions=@streamsuites/source --import tsx packages/plugin-clips/bench/cut.bench.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { FfmpegEncoder } from '../src/cut/encoder.js';
import type { CutMode } from '../src/types.js';
import { generateBuffer, makeTempDir, removeDir } from '../test/media-helpers.js';

const CLIP_SEC = 30;
const BUFFER_SEC = 45;
const COPY_RUNS = 7;
const REENCODE_RUNS = 2;

const work = await makeTempDir('ss-clips-bench-');
try {
  const prepStart = performance.now();
  await mkdir(path.join(work, 'buffer'));
  const playlist = await generateBuffer(path.join(work, 'buffer'), { seconds: BUFFER_SEC, size: '1280x720', rate: 30 });
  console.log(`ring buffer: ${BUFFER_SEC} s of 1280x720 30 fps in 1 s segments, prepared in ${Math.round(performance.now() - prepStart)} ms`);

  const encoder = new FfmpegEncoder();
  console.log(await encoder.version());
  let n = 0;
  async function once(mode: CutMode): Promise<number> {
    const output = path.join(work, 'out', `clip-${n++}.mp4`);
    const start = performance.now();
    const result = await encoder.cut({ playlist, seconds: CLIP_SEC, mode, output });
    const ms = performance.now() - start;
    if (Math.abs(result.probe.durationSec - CLIP_SEC) > 1 || !result.probe.hasAudio || !result.probe.hasVideo) {
      throw new Error(`${mode} cut produced ${JSON.stringify(result.probe)}`);
    }
    await rm(output, { force: true });
    return ms;
  }

  await once('copy'); // warm-up: page cache, dynamic libraries
  const copy: number[] = [];
  const reencode: number[] = [];
  // Interleaved, so neither case gets all the quiet (or busy) moments.
  for (let round = 0; round < REENCODE_RUNS; round++) {
    for (let i = 0; i < Math.ceil(COPY_RUNS / REENCODE_RUNS) && copy.length < COPY_RUNS; i++) copy.push(await once('copy'));
    reencode.push(await once('reencode'));
  }
  while (copy.length < COPY_RUNS) copy.push(await once('copy'));

  const cases = { copyMs: Math.round(median(copy)), reencodeMs: Math.round(median(reencode)) };
  const ratios = { reencodeVsCopy: Number((cases.reencodeMs / cases.copyMs).toFixed(1)) };
  const stats = (xs: number[]) => ({ median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), runs: xs.length });
  console.table({ copyMs: stats(copy), reencodeMs: stats(reencode) });
  console.table({
    copyMs: { value: cases.copyMs, goal: '<= 1000', met: cases.copyMs <= 1000 },
    reencodeVsCopy: { value: ratios.reencodeVsCopy, goal: '>= 20', met: ratios.reencodeVsCopy >= 20 },
  });
  const result = { name: 'clips.cut', unit: 'ms', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(path.join('bench-results', 'clips.cut.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await removeDir(work);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
