// Benchmark: a 30 s clip from the capture's HLS ring buffer, from the cut
// request to a verified mp4 (FfmpegEncoder.cut: playlist read, plan, ffmpeg,
// in-process mp4 verification, rename), by stream copy and by libx264
// veryfast re-encode, on the same buffer in the same run.
//
// copyMs is the cut as the plugin runs it (`prestart`): the ffmpeg for the
// next copy cut is started ahead and is ready when the request comes (the
// bench waits for `prepare()` before each timed cut, untimed, as the seconds
// between two `!clip`s do). copyColdMs is the same cut on an encoder that
// starts ffmpeg for every cut (a second clip asked for while one is being
// cut gets this). planMs / ffmpegMs / verifyMs are the medians of copyMs's
// steps (CutResult.steps). copyWithFfprobeMs is copyColdMs plus the ffprobe
// run the cut used to verify with (the pipeline before the in-process
// verification and the pre-started ffmpeg), for a before/after in one run.
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
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { FfmpegEncoder } from '../src/cut/encoder.js';
import { probeMedia } from '../src/ffmpeg/probe.js';
import type { CutMode, CutSteps } from '../src/types.js';
import { generateBuffer, makeTempDir, removeDir } from '../test/media-helpers.js';

const CLIP_SEC = 30;
const BUFFER_SEC = 45;
const COPY_RUNS = 11;
const COLD_RUNS = 7;
const REENCODE_RUNS = 2;

const work = await makeTempDir('ss-clips-bench-');
// As the plugin runs it: the next copy cut's ffmpeg started ahead.
const encoder = new FfmpegEncoder({ prestart: true });
// Every cut starts its own ffmpeg.
const spawning = new FfmpegEncoder();
try {
  const prepStart = performance.now();
  await mkdir(path.join(work, 'buffer'));
  const playlist = await generateBuffer(path.join(work, 'buffer'), { seconds: BUFFER_SEC, size: '1280x720', rate: 30 });
  console.log(`ring buffer: ${BUFFER_SEC} s of 1280x720 30 fps in 1 s segments, prepared in ${Math.round(performance.now() - prepStart)} ms`);
  console.log(await encoder.version());
  const outDir = path.join(work, 'out');

  let n = 0;
  async function once(by: FfmpegEncoder, mode: CutMode, prestarted: boolean, ffprobeToo = false): Promise<{ ms: number; steps: CutSteps }> {
    const output = path.join(outDir, `clip-${n++}.mp4`);
    if (prestarted && !(await by.prepare(outDir))) throw new Error('the pre-started ffmpeg did not start');
    const start = performance.now();
    const result = await by.cut({ playlist, seconds: CLIP_SEC, mode, output });
    if (ffprobeToo) await probeMedia(output);
    const ms = performance.now() - start;
    if (Math.abs(result.probe.durationSec - CLIP_SEC) > 1 || !result.probe.hasAudio || !result.probe.hasVideo) {
      throw new Error(`${mode} cut produced ${JSON.stringify(result.probe)}`);
    }
    if (result.steps === undefined || result.steps.prestarted !== prestarted) throw new Error(`${mode} cut: expected prestarted ${prestarted}, got ${JSON.stringify(result.steps)}`);
    await rm(output, { force: true });
    return { ms, steps: result.steps };
  }

  await once(encoder, 'copy', false); // warm-up: page cache, dynamic libraries; starts the next ffmpeg
  await once(spawning, 'copy', false);
  const copy: { ms: number; steps: CutSteps }[] = [];
  const cold: number[] = [];
  const before: number[] = [];
  const reencode: number[] = [];
  // Interleaved, so no case gets all the quiet (or busy) moments.
  for (let round = 0; round < REENCODE_RUNS; round++) {
    for (let i = 0; i < Math.ceil(COPY_RUNS / REENCODE_RUNS) && copy.length < COPY_RUNS; i++) {
      copy.push(await once(encoder, 'copy', true));
      if (cold.length < COLD_RUNS) cold.push((await once(spawning, 'copy', false)).ms);
      if (before.length < COLD_RUNS) before.push((await once(spawning, 'copy', false, true)).ms);
    }
    reencode.push((await once(encoder, 'reencode', false)).ms);
  }
  while (copy.length < COPY_RUNS) copy.push(await once(encoder, 'copy', true));
  while (cold.length < COLD_RUNS) cold.push((await once(spawning, 'copy', false)).ms);
  while (before.length < COLD_RUNS) before.push((await once(spawning, 'copy', false, true)).ms);

  const copyMs = copy.map((c) => c.ms);
  const step = (name: 'planMs' | 'ffmpegMs' | 'verifyMs') => copy.map((c) => c.steps[name]);
  const cases = {
    copyMs: Math.round(median(copyMs)),
    copyColdMs: Math.round(median(cold)),
    copyWithFfprobeMs: Math.round(median(before)),
    reencodeMs: Math.round(median(reencode)),
    planMs: round1(median(step('planMs'))),
    ffmpegMs: round1(median(step('ffmpegMs'))),
    verifyMs: round1(median(step('verifyMs'))),
  };
  const ratios = {
    reencodeVsCopy: Number((cases.reencodeMs / cases.copyMs).toFixed(1)),
    reencodeVsCopyCold: Number((cases.reencodeMs / cases.copyColdMs).toFixed(1)),
  };
  const stats = (xs: number[]) => ({ median: round1(median(xs)), min: round1(Math.min(...xs)), max: round1(Math.max(...xs)), runs: xs.length });
  console.table({
    copyMs: stats(copyMs),
    planMs: stats(step('planMs')),
    ffmpegMs: stats(step('ffmpegMs')),
    verifyMs: stats(step('verifyMs')),
    copyColdMs: stats(cold),
    copyWithFfprobeMs: stats(before),
    reencodeMs: stats(reencode),
  });
  console.table({
    copyMs: { value: cases.copyMs, goal: '<= 150', met: cases.copyMs <= 150 },
    reencodeVsCopy: { value: ratios.reencodeVsCopy, goal: '>= 50', met: ratios.reencodeVsCopy >= 50 },
  });
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min) on ${availableParallelism()} cpus`);
  const result = { name: 'clips.cut', unit: 'ms', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(path.join('bench-results', 'clips.cut.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await encoder.close();
  await removeDir(work);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
