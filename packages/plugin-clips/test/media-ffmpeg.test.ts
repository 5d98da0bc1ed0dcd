import { chmod, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as media from '../src/media.js';
import {
  FfmpegEncoder,
  SS_ERR_CLIPS_FFMPEG_FAILED,
  SS_ERR_CLIPS_FFMPEG_MISSING,
  SS_ERR_CLIPS_FFMPEG_TIMEOUT,
  WINDOWS_DEFAULT_FFMPEG,
  WINDOWS_DEFAULT_FFPROBE,
  describeArgs,
  ffmpegInstallHint,
  ffmpegVersion,
  locateFfmpeg,
  mapProbe,
  probe,
  redactMediaText,
  runFfmpeg,
  runMedia,
} from '../src/media.js';
import { listDir, makeTempDir, removeDir } from './media-helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const posixOnly = process.platform === 'win32' ? it.skip : it;

/** A stand-in "ffmpeg": a node script that records its argv (and can ignore SIGTERM). */
async function fakeBinary(body: string): Promise<string> {
  const file = path.join(dir, 'fake-ffmpeg');
  await writeFile(file, `#!${process.execPath}\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

describe('locateFfmpeg', () => {
  it('uses the configured path as given, with ffprobe beside it', () => {
    const found = locateFfmpeg({ ffmpegPath: '/opt/ff/bin/ffmpeg' }, { platform: 'linux', exists: () => true });
    expect(found).toEqual({ ffmpeg: '/opt/ff/bin/ffmpeg', ffprobe: '/opt/ff/bin/ffprobe', source: 'config' });
    expect(locateFfmpeg({ ffmpegPath: '/opt/ff/bin/ffmpeg', ffprobePath: '/x/probe' }, { platform: 'linux', exists: () => true }).ffprobe).toBe('/x/probe');
    // A configured ffmpeg whose folder has no ffprobe: ffprobe from PATH.
    expect(locateFfmpeg({ ffmpegPath: '/opt/ff/bin/ffmpeg' }, { platform: 'linux', exists: (f) => f === '/opt/ff/bin/ffmpeg' }).ffprobe).toBe('ffprobe');
    // A missing configured ffmpeg is kept (and reported when run), never replaced by another one.
    expect(locateFfmpeg({ ffmpegPath: 'C:\\tools\\ffmpeg.exe' }, { platform: 'win32', exists: () => false }))
      .toEqual({ ffmpeg: 'C:\\tools\\ffmpeg.exe', ffprobe: 'C:\\tools\\ffprobe.exe', source: 'config' });
  });

  it('uses X:\\ffmpeg\\bin\\ffmpeg.exe on Windows when it exists, else ffmpeg on PATH', () => {
    expect(locateFfmpeg({}, { platform: 'win32', exists: (f) => f === WINDOWS_DEFAULT_FFMPEG }))
      .toEqual({ ffmpeg: WINDOWS_DEFAULT_FFMPEG, ffprobe: WINDOWS_DEFAULT_FFPROBE, source: 'windows-default' });
    expect(locateFfmpeg({}, { platform: 'win32', exists: () => false })).toEqual({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', source: 'path' });
    // The Windows default is never used elsewhere.
    expect(locateFfmpeg({}, { platform: 'linux', exists: () => true })).toEqual({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', source: 'path' });
  });
});

describe('missing ffmpeg', () => {
  it('is SS_ERR_CLIPS_FFMPEG_MISSING with an install hint for the OS', async () => {
    const missing = path.join(dir, 'no-such-dir', 'ffmpeg');
    const error = await runFfmpeg(['-version'], { ffmpegPath: missing }).catch((e: unknown) => e);
    expect(SS_ERR_CLIPS_FFMPEG_MISSING.is(error)).toBe(true);
    const coded = error as InstanceType<typeof SS_ERR_CLIPS_FFMPEG_MISSING>;
    expect(coded.message).toContain(missing);
    expect(coded.hint).toBe(ffmpegInstallHint(process.platform));
    expect(coded.hint).toContain('ffmpegPath');
    if (process.platform === 'linux') expect(coded.hint).toContain('apt-get install ffmpeg');
  });

  it('reaches the Encoder: version(), probe() and cut() all report it', async () => {
    const encoder = new FfmpegEncoder({ ffmpegPath: path.join(dir, 'nope', 'ffmpeg') });
    expect(encoder.binaries.source).toBe('config');
    await expect(encoder.version()).rejects.toMatchObject({ code: 'SS_ERR_CLIPS_FFMPEG_MISSING' });
    await expect(encoder.probe(path.join(dir, 'x.mp4'))).rejects.toMatchObject({ code: 'SS_ERR_CLIPS_FFMPEG_MISSING' });
    await expect(ffmpegVersion({ ffmpegPath: path.join(dir, 'nope', 'ffmpeg') })).rejects.toMatchObject({ code: 'SS_ERR_CLIPS_FFMPEG_MISSING' });
  });

  it('has a hint for every OS', () => {
    expect(ffmpegInstallHint('win32')).toContain('X:\\ffmpeg\\bin\\ffmpeg.exe');
    expect(ffmpegInstallHint('win32')).toContain('winget');
    expect(ffmpegInstallHint('darwin')).toContain('brew install ffmpeg');
    expect(ffmpegInstallHint('linux')).toContain('apt-get install ffmpeg');
    expect(ffmpegInstallHint('freebsd')).toContain('ffmpeg.org');
  });
});

describe('runFfmpeg', () => {
  it('returns the exit code and the stderr tail', async () => {
    const ok = await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5', '-t', '0.2', '-f', 'null', '-']);
    expect(ok.exitCode).toBe(0);
    expect(ok.elapsedMs).toBeGreaterThan(0);
    expect((await ffmpegVersion()).startsWith('ffmpeg version')).toBe(true);
  });

  it('fails with SS_ERR_CLIPS_FFMPEG_FAILED (exit code, last stderr lines) and never shows a keyed URL', async () => {
    const url = 'http://127.0.0.1:9/live/index.m3u8?token=SECRET-TOKEN-123&sig=abcdef';
    const error = await runFfmpeg(['-loglevel', 'error', '-i', url, '-f', 'null', '-'], { timeoutMs: 15_000 }).catch((e: unknown) => e);
    expect(SS_ERR_CLIPS_FFMPEG_FAILED.is(error)).toBe(true);
    const coded = error as InstanceType<typeof SS_ERR_CLIPS_FFMPEG_FAILED>;
    expect(coded.message).toMatch(/exited with code [1-9]/);
    expect(coded.details.exitCode).not.toBe(0);
    expect(String(coded.details.stderrTail)).toContain('127.0.0.1:9/live/index.m3u8?[redacted]');
    expect(String(coded.details.command)).toContain('?[redacted]');
    const everything = JSON.stringify({ m: coded.message, d: coded.details });
    expect(everything).not.toContain('SECRET-TOKEN-123');
    expect(everything).not.toContain('abcdef');
  });

  it('times out with SS_ERR_CLIPS_FFMPEG_TIMEOUT and the process gone', async () => {
    const error = await runMedia('ffmpeg', ['-hide_banner', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5', '-f', 'null', '-'], {
      timeoutMs: 300,
      killGraceMs: 2000,
    }).catch((e: unknown) => e);
    expect(SS_ERR_CLIPS_FFMPEG_TIMEOUT.is(error)).toBe(true);
    // The rejection comes after the exit (SIGTERM: ffmpeg finishes and exits by itself).
    const details = (error as { details: { exitCode: number | null; signal: string | null } }).details;
    expect(details.exitCode !== null || details.signal !== null).toBe(true);
  });

  it('stops on abort (SIGTERM) and rejects with SS_ERR_ABORTED once the process is gone', async () => {
    const controller = new AbortController();
    const run = runMedia('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'info', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5', '-f', 'null', '-'], {
      signal: controller.signal,
      onStderr: () => controller.abort(new Error('clip cancelled')),
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_ABORTED' });
    expect((error as { details: { signal: unknown; exitCode: unknown } }).details.signal ?? 'exited').not.toBe('SIGKILL');
    await expect(runFfmpeg(['-version'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'SS_ERR_ABORTED' });
  });

  posixOnly('kills with SIGKILL when the process ignores the polite stop past the grace period', async () => {
    const bin = await fakeBinary(`process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\\n'));
process.stderr.write('ready\\n');
setInterval(() => {}, 1000);`);
    const controller = new AbortController();
    const started = Date.now();
    const error = await runMedia(bin, [], {
      signal: controller.signal,
      killGraceMs: 200,
      onStderr: (text) => {
        if (text.includes('ready')) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_ABORTED', details: { signal: 'SIGKILL' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  posixOnly('passes a malicious title/path as exactly one argv element (no shell)', async () => {
    const record = path.join(dir, 'argv.json');
    const bin = await fakeBinary(`require('node:fs').writeFileSync(process.env.ARGV_OUT, JSON.stringify(process.argv.slice(2)));`);
    const evil = [
      `"; touch ${path.join(dir, 'pwned')}; echo "`,
      `$(touch ${path.join(dir, 'pwned2')})`,
      '`id` && rm -rf / || true',
      "it's | a & b > c < d * ? [x] {y} ~ # %PATH% !x! ^&",
      '-y',
      'line\nbreak',
      '  spaced  ',
      '',
    ];
    await runFfmpeg(['-metadata', `title=${evil[0]}`, ...evil], { ffmpegPath: bin, env: { ...process.env, ARGV_OUT: record } });
    const argv = JSON.parse(await readFile(record, 'utf8')) as string[];
    expect(argv).toEqual(['-hide_banner', '-nostdin', '-metadata', `title=${evil[0]}`, ...evil]);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(dir, 'pwned2'))).toBe(false);
  });

  it('real ffmpeg: a hostile title and file name round-trip unchanged and run nothing', async () => {
    const title = `Clip "$(touch pwned)"; rm -rf ~ | & \`id\` 'quoted' %s %d -y`;
    const name = `-y; $(touch pwned) 'x' "y" | & %d.mp4`;
    const out = path.join(dir, name);
    await runFfmpeg([
      '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5', '-t', '0.4',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-metadata', `title=${title}`, '-f', 'mp4', `file:${out}`,
    ], { cwd: dir });
    expect(await listDir(dir)).toEqual([name]);
    const tags = await runMedia('ffprobe', ['-v', 'error', '-show_entries', 'format_tags=title', '-of', 'json', `file:${out}`], { captureStdout: true });
    expect((JSON.parse(tags.stdout) as { format: { tags: { title: string } } }).format.tags.title).toBe(title);
    const probed = await probe(out);
    expect(probed).toMatchObject({ hasVideo: true, hasAudio: false, videoCodec: 'h264', width: 64, height: 64 });
  });
});

describe('coded errors', () => {
  it('every exported error class is named by its code and documented as SS_ERR_CLIPS_*', () => {
    const errors = Object.entries(media).filter(([key]) => key.startsWith('SS_ERR_'));
    expect(errors.map(([key]) => key).sort()).toEqual([
      'SS_ERR_CLIPS_BUFFER_EMPTY', 'SS_ERR_CLIPS_CAPTURE_INVALID', 'SS_ERR_CLIPS_CUT_INVALID', 'SS_ERR_CLIPS_FFMPEG_FAILED',
      'SS_ERR_CLIPS_FFMPEG_MISSING', 'SS_ERR_CLIPS_FFMPEG_TIMEOUT', 'SS_ERR_CLIPS_PLAYLIST_INVALID', 'SS_ERR_CLIPS_POSTER_FAILED',
      'SS_ERR_CLIPS_VERIFY_FAILED',
    ]);
    for (const [key, value] of errors) expect((value as { code: string }).code).toBe(key);
  });
});

describe('redaction and probe mapping', () => {
  it('masks query strings and user info of URLs, keeps host and path', () => {
    expect(redactMediaText("Opening 'https://usher.ttvnw.net/api/channel/hls/x.m3u8?sig=abc&token=%7Bsecret%7D' for reading"))
      .toBe("Opening 'https://usher.ttvnw.net/api/channel/hls/x.m3u8?[redacted]' for reading");
    expect(redactMediaText('rtmp://user:pa55@live.example.com/app/stream')).toBe('rtmp://[redacted]@live.example.com/app/stream');
    expect(redactMediaText('no urls here ?a=b')).toBe('no urls here ?a=b');
    expect(describeArgs('ffmpeg', ['-i', 'https://h/p?key=1', 'a b'])).toBe('ffmpeg -i https://h/p?[redacted] "a b"');
  });

  it('maps ffprobe JSON to ProbeResult', () => {
    expect(mapProbe({
      format: { duration: '10.048000', format_name: 'mov,mp4' },
      streams: [{ index: 0, codec_type: 'video', codec_name: 'h264', width: 640, height: 360, nb_frames: '300' }, { index: 1, codec_type: 'audio', codec_name: 'aac' }],
      packets: [{ stream_index: 1, flags: 'K_' }, { stream_index: 0, flags: '__' }],
    })).toEqual({
      durationSec: 10.048, hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac', width: 640, height: 360,
      formatName: 'mov,mp4', videoFrames: 300, startsWithKeyframe: false,
    });
    expect(mapProbe({})).toEqual({ durationSec: 0, hasVideo: false, hasAudio: false });
  });
});
