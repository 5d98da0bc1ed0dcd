import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnScript } from '@streamsuites/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegEncoder } from '../src/cut/encoder.js';
import { inspectMp4 } from '../src/cut/mp4.js';
import { FfmpegPrestart, prestartArgs, prestartScript } from '../src/cut/prestart.js';
import { ffmpegPidsIn, generateBuffer, listDir, makeTempDir, removeDir } from './media-helpers.js';

// Copy cuts on a pre-started ffmpeg (FfmpegEncoder `prestart`): the same clip
// as a spawned ffmpeg cuts, nothing written while idle, and the fall-backs.
let root: string;
let playlist: string;
beforeAll(async () => {
  root = await makeTempDir('ss-clips-prestart-');
  // A buffer folder with a quote and spaces: the script must quote it.
  const buffer = path.join(root, "it's a buffer");
  await mkdir(buffer);
  playlist = await generateBuffer(buffer, { seconds: 12 });
});
afterAll(async () => {
  await removeDir(root);
});

const linuxOnly = process.platform === 'linux' ? it : it.skip;

describe('FfmpegEncoder with prestart', () => {
  it('cuts on the ffmpeg started ahead: the same clip as a spawned ffmpeg, with and without a cut inside a segment', async () => {
    const out = path.join(root, 'out-same');
    const encoder = new FfmpegEncoder({ prestart: true });
    const plain = new FfmpegEncoder();
    try {
      for (const [i, request] of [{ seconds: 8 }, { seconds: 4.2, offsetSec: 2.5 }, { seconds: 6, offsetSec: 0.4 }].entries()) {
        expect(await encoder.prepare(out)).toBe(true);
        const pre = await encoder.cut({ playlist, mode: 'copy', output: path.join(out, `pre-${i}.mp4`), ...request });
        const spawned = await plain.cut({ playlist, mode: 'copy', output: path.join(out, `spawned-${i}.mp4`), ...request });
        expect(pre.steps?.prestarted).toBe(true);
        expect(spawned.steps?.prestarted).toBe(false);
        expect(pre.seconds).toBe(spawned.seconds);
        expect(pre.probe).toMatchObject({ hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 180 });
        // The concat demuxer's outpoint and -t end within a frame of each other.
        expect(Math.abs(pre.probe.durationSec - spawned.probe.durationSec)).toBeLessThanOrEqual(0.05);
        const [a, b] = [await inspectMp4(pre.output), await inspectMp4(spawned.output)];
        expect(Math.abs(a.probe.videoFrames! - b.probe.videoFrames!)).toBeLessThanOrEqual(1);
        expect(a.moovFirst).toBe(true);
      }
      // Only the clips: the part files were renamed, the next ffmpeg has written nothing.
      expect((await listDir(out)).filter((f) => !/^(pre|spawned)-\d\.mp4$/.test(f))).toEqual([]);
    } finally {
      await encoder.close();
    }
  });

  it('a first cut into a folder spawns its ffmpeg and starts one for the next; another folder spawns again', async () => {
    const encoder = new FfmpegEncoder({ prestart: true });
    try {
      const out = path.join(root, 'out-first');
      const first = await encoder.cut({ playlist, seconds: 3, mode: 'copy', output: path.join(out, 'a.mp4') });
      expect(first.steps).toMatchObject({ prestarted: false });
      expect(await encoder.prepare(out)).toBe(true); // the one the first cut started
      expect((await encoder.cut({ playlist, seconds: 3, mode: 'copy', output: path.join(out, 'b.mp4') })).steps?.prestarted).toBe(true);
      const elsewhere = await encoder.cut({ playlist, seconds: 3, mode: 'copy', output: path.join(root, 'out-other', 'c.mp4') });
      expect(elsewhere.steps?.prestarted).toBe(false);
      // Re-encodes never use it.
      const re = await encoder.cut({ playlist, seconds: 2, mode: 'reencode', output: path.join(root, 'out-other', 'd.mp4') });
      expect(re.steps?.prestarted).toBe(false);
    } finally {
      await encoder.close();
    }
  });

  it('an abort while the pre-started ffmpeg runs: SS_ERR_ABORTED, nothing left, the next cut works', async () => {
    const out = path.join(root, 'out-abort');
    const encoder = new FfmpegEncoder({ prestart: true });
    try {
      expect(await encoder.prepare(out)).toBe(true);
      const controller = new AbortController();
      const cut = encoder.cut({ playlist, seconds: 10, mode: 'copy', output: path.join(out, 'aborted.mp4') }, controller.signal);
      controller.abort(new Error('clip cancelled'));
      await expect(cut).rejects.toMatchObject({ code: 'SS_ERR_ABORTED' });
      expect(await listDir(out)).toEqual([]);
      expect(await encoder.prepare(out)).toBe(true);
      const next = await encoder.cut({ playlist, seconds: 5, mode: 'copy', output: path.join(out, 'next.mp4') });
      expect(next.steps?.prestarted).toBe(true);
      expect(await listDir(out)).toEqual(['next.mp4']);
    } finally {
      await encoder.close();
    }
  });

  it('an ffmpeg that cannot be pre-started: prepare says false and cuts spawn as usual', async () => {
    // A wrapper that refuses the pre-started form (its input on pipe:0) and runs the real ffmpeg otherwise.
    const wrapper = path.join(root, 'ffmpeg-no-prestart');
    await writeFile(wrapper, [
      `#!${process.execPath}`,
      "const { spawnSync } = require('node:child_process');",
      "if (process.argv.includes('pipe:0')) process.exit(3);",
      "process.exit(spawnSync('ffmpeg', process.argv.slice(2), { stdio: 'inherit' }).status ?? 1);",
    ].join('\n'));
    await chmod(wrapper, 0o755);
    const out = path.join(root, 'out-fallback');
    const encoder = new FfmpegEncoder({ prestart: true, binaries: { ffmpeg: wrapper, ffprobe: 'ffprobe', source: 'config' } });
    try {
      expect(await encoder.prepare(out)).toBe(false);
      const result = await encoder.cut({ playlist, seconds: 3, mode: 'copy', output: path.join(out, 'a.mp4') });
      expect(result.steps?.prestarted).toBe(false);
    } finally {
      await encoder.close();
    }
  });

  it('after close() nothing is pre-started and cuts still work', async () => {
    const out = path.join(root, 'out-closed');
    const encoder = new FfmpegEncoder({ prestart: true });
    expect(await encoder.prepare(out)).toBe(true);
    await encoder.close();
    await encoder.close();
    expect(await encoder.prepare(out)).toBe(false);
    const result = await encoder.cut({ playlist, seconds: 3, mode: 'copy', output: path.join(out, 'a.mp4') });
    expect(result.steps?.prestarted).toBe(false);
    expect(await listDir(out)).toEqual(['a.mp4']);
  });

  it('without prestart, prepare() is false and close() a no-op', async () => {
    const encoder = new FfmpegEncoder();
    expect(await encoder.prepare(path.join(root, 'unused'))).toBe(false);
    await encoder.close();
  });
});

describe('FfmpegPrestart', () => {
  const ffmpeg = 'ffmpeg';

  it('an idle one writes nothing; its input closing empty (its parent gone) ends it without a file', async () => {
    const dir = path.join(root, 'idle');
    await mkdir(dir);
    const prestart = new FfmpegPrestart({ ffmpeg });
    expect(await prestart.prepare(dir)).toBe(true);
    expect(await listDir(dir)).toEqual([]);
    expect(prestart.waitsFor(dir)).toBe(true);
    expect(prestart.waitsFor(path.join(root, 'elsewhere'))).toBe(false);
    const taken = prestart.take(dir)!;
    expect(prestart.waitsFor(dir)).toBe(false);
    expect(taken.child.exit).toBeUndefined();
    expect(path.dirname(taken.part)).toBe(dir);
    expect(prestart.take(dir)).toBeUndefined(); // taken once
    expect(taken.child.feed('')).toBe(true);
    const exit = await taken.child.exited;
    expect(exit.code).not.toBe(0);
    expect(await listDir(dir)).toEqual([]);
    await prestart.close();
  });

  it('one folder at a time: preparing another stops the first; close() stops the waiting one', async () => {
    const prestart = new FfmpegPrestart({ ffmpeg });
    const [a, b] = [path.join(root, 'pa'), path.join(root, 'pb')];
    expect(await prestart.prepare(a)).toBe(true);
    expect(await prestart.prepare(a)).toBe(true); // the same one
    const first = prestart.take(a)!;
    expect(await prestart.prepare(a)).toBe(true);
    expect(await prestart.prepare(b)).toBe(true);
    expect(prestart.take(a)).toBeUndefined();
    const second = prestart.take(b)!;
    expect(await prestart.prepare(b)).toBe(true);
    await prestart.close();
    expect(prestart.take(b)).toBeUndefined();
    for (const taken of [first, second]) {
      await taken.child.stop(500);
    }
  });

  linuxOnly('does not keep a program running; the ffmpeg it leaves ends when its stdin closes', async () => {
    const dir = path.join(root, 'orphan');
    const child = spawnScript(fileURLToPath(new URL('./fixtures/prestart-idle-child.ts', import.meta.url)), [dir]);
    await child.until('ready true\n');
    expect(await child.exited).toBe(0);
    // Its ffmpeg read an empty script when the program's end closed the pipe. (Polled: no event reaches us from an orphan.)
    const deadline = Date.now() + 10_000;
    while (ffmpegPidsIn(dir).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ffmpegPidsIn(dir)).toEqual([]);
    expect(await listDir(dir)).toEqual([]);
  });
});

describe('prestartScript / prestartArgs', () => {
  it('one concat: entry of file: URLs, quoted for ffconcat, with the outpoint', () => {
    expect(prestartScript(['/b/x.ts', "/b/it's/y.ts"], 12.3456789)).toBe(
      "ffconcat version 1.0\nfile 'concat:file:/b/x.ts|file:/b/it'\\''s/y.ts'\noutpoint 12.345679\n",
    );
    expect(prestartScript(['/b/x.ts'], -3.5)).toContain('outpoint -3.500000\n');
    expect(prestartScript(['/a|b/x.ts'], 1)).toBeUndefined();
  });

  it('reads the script from stdin, may open only file and concat URLs, writes an mp4 with faststart', () => {
    const args = prestartArgs('/out/x.mp4.part');
    expect(args.join(' ')).toContain('-protocol_whitelist pipe,file,concat -f concat -safe 0 -i pipe:0 -map 0:v:0 -map 0:a:0? -c copy -movflags +faststart -f mp4');
    expect(args.at(-1)).toBe(`file:${path.resolve('/out/x.mp4.part')}`);
    expect(args).not.toContain('-hide_banner');
  });
});

