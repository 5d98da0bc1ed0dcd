import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalDestination } from '../src/destinations.js';
import { clipSections } from '../src/exports.js';
import { maskLocalPaths, publicClipUrl } from '../src/jobs.js';
import { ffmpegEncoder } from './fixtures/jobs-media.js';
import { openEngine, tempDir } from './jobs-helpers.js';

describe('what of a clip may be public', () => {
  it('publicClipUrl: absolute http(s) URLs only, never a path, a file:// URL or user info', () => {
    expect(publicClipUrl('https://clips.example/k3x9qa.mp4')).toBe('https://clips.example/k3x9qa.mp4');
    expect(publicClipUrl('http://127.0.0.1:8080/v/k3x9qa')).toBe('http://127.0.0.1:8080/v/k3x9qa');
    for (const url of ['file:///srv/clips/k3x9qa.mp4', 'file:///C:/clips/k3x9qa.mp4', '/srv/clips/k3x9qa.mp4', 'C:\\clips\\k3x9qa.mp4', 'clips/k3x9qa.mp4', 'https://user:pw@clips.example/x.mp4', 'javascript:alert(1)', '', null, undefined]) {
      expect(publicClipUrl(url), String(url)).toBeUndefined();
    }
  });

  it('maskLocalPaths: absolute paths become …/<file name>; URLs and ordinary text stay', () => {
    expect(maskLocalPaths("cannot copy the clip to /home/daniel/clips/k3x9qa.mp4: EACCES: permission denied, open '/home/daniel/clips/k3x9qa.mp4.1a2b.tmp'")).toBe(
      "cannot copy the clip to …/k3x9qa.mp4: EACCES: permission denied, open '…/k3x9qa.mp4.1a2b.tmp'",
    );
    expect(maskLocalPaths('ffmpeg X:\\ffmpeg\\bin\\ffmpeg.exe failed; copy at file:///srv/c/k.mp4 (see C:/data/x.log)')).toBe('ffmpeg …/ffmpeg.exe failed; copy at …/k.mp4 (see …/x.log)');
    // ffmpeg quotes its inputs and outputs as `file:/abs/path` (no //).
    expect(maskLocalPaths('ffmpeg poster failed: exited with code 1\nfile:/tmp/ss-x/k3x9qa.mp4: No such file or directory; cannot open file: denied')).toBe(
      'ffmpeg poster failed: exited with code 1\n…/k3x9qa.mp4: No such file or directory; cannot open file: denied',
    );
    expect(maskLocalPaths('upload to https://clips.example/api/upload failed: 503 / retry later')).toBe('upload to https://clips.example/api/upload failed: 503 / retry later');
  });

  it('clips.json and clip_jobs.json from real jobs: no local path, however the clip ended', async () => {
    const root = tempDir();
    const blocked = join(root, 'not-a-folder');
    writeFileSync(blocked, 'a file where the destination folder should be');
    const published = join(root, 'published');
    mkdirSync(published);
    const t = openEngine({
      encoder: ffmpegEncoder(),
      destinations: { local: new LocalDestination({ dir: published }), blocked: new LocalDestination({ dir: join(blocked, 'sub') }) },
      defaultDestination: 'local',
      backoff: { baseMs: 5, maxMs: 20 },
    });
    const ok = await t.engine.settled(t.engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 1 }).id);
    const failed = await t.engine.settled(t.engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 1, destination: 'blocked' }).id);
    expect(ok).toMatchObject({ state: 'published', url: expect.stringMatching(/^file:\/\//) });
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain(blocked); // the database (and the log) keep the full text

    const [clipsJson, jobsJson] = clipSections(() => t.engine);
    const kernel = undefined as never;
    const clips = (await clipsJson!.snapshot({ kernel, now: 0 })) as { clips: Record<string, unknown>[] };
    const jobs = (await jobsJson!.snapshot({ kernel, now: 0 })) as { jobs: Record<string, unknown>[] };
    expect(clips.clips).toEqual([expect.not.objectContaining({ url: expect.anything() })]);
    expect(clips.clips[0]).toMatchObject({ id: ok.id, state: 'published' });
    expect(jobs.jobs.find((j) => j.clipId === failed.id)?.error).toContain(`cannot copy the clip to …/${failed.id}.mp4: ENOTDIR`);
    for (const body of [clips, jobs]) {
      const text = JSON.stringify(body);
      expect(text).not.toContain(root);
      expect(text).not.toMatch(/file:|"\/|"[A-Za-z]:\\\\/);
    }
  }, 60_000);
});
