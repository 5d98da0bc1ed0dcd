import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StreamSuitesError } from '@streamsuites/kernel';
import { createTempDirs } from '@streamsuites/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDestination, SS_ERR_CLIPS_DESTINATION_INVALID, SS_ERR_CLIPS_UPLOAD_FAILED } from '../src/destinations.js';
import type { ClipFile } from '../src/types.js';

const temp = createTempDirs('ss-clips-local-');
let clip: ClipFile;

beforeAll(() => {
  const path = join(temp.make(), 'Ab12Cd.mp4');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path]);
  clip = { clipId: 'Ab12Cd', creatorId: 'daniel', path, title: 'Ace', durationSec: 1 };
});
afterAll(() => temp.removeAll());

async function failure(promise: Promise<unknown>): Promise<StreamSuitesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the copy should have failed').toBeInstanceOf(Error);
  return error as StreamSuitesError;
}

describe('LocalDestination', () => {
  it('copies the clip into the folder (creating it) and returns its file:// URL', async () => {
    const dir = join(temp.make(), 'published', 'clips');
    const destination = new LocalDestination({ dir });
    expect(destination.kind).toBe('local');
    const { url } = await destination.upload(clip, new AbortController().signal);
    expect(url).toMatch(/^file:\/\//);
    const target = fileURLToPath(url);
    expect(target).toBe(join(dir, 'Ab12Cd.mp4'));
    expect(readFileSync(target).equals(readFileSync(clip.path))).toBe(true);
    expect(readdirSync(dir)).toEqual(['Ab12Cd.mp4']); // no temp file left behind
  });

  it("removes the temp files of the clip's earlier copies whose process is gone (a crash mid-copy), not a running writer's or another clip's", async () => {
    const dir = temp.make();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its pid is free
    const names = {
      dead: `Ab12Cd.mp4.${dead}-0123456789ab.tmp`,
      running: `Ab12Cd.mp4.${process.ppid}-0123456789ab.tmp`,
      other: `Zz99Zz.mp4.${dead}-0123456789ab.tmp`,
    };
    for (const name of Object.values(names)) writeFileSync(join(dir, name), 'half a clip');
    await new LocalDestination({ dir }).upload(clip, new AbortController().signal);
    expect(readdirSync(dir).sort()).toEqual(['Ab12Cd.mp4', names.running, names.other].sort());
  });

  it('returns publicBaseUrl + the file name, with a per-creator folder from the template', async () => {
    const dir = temp.make();
    const destination = new LocalDestination({ dir, publicBaseUrl: 'https://clips.example.test/media', fileName: '{creatorId}/{clipId} final.{ext}' });
    const { url } = await destination.upload(clip, new AbortController().signal);
    expect(url).toBe('https://clips.example.test/media/daniel/Ab12Cd%20final.mp4');
    expect(readFileSync(join(dir, 'daniel', 'Ab12Cd final.mp4')).equals(readFileSync(clip.path))).toBe(true);
  });

  it('replaces an earlier copy atomically (a retried job gets the same URL)', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'Ab12Cd.mp4'), 'stale partial content');
    const destination = new LocalDestination({ dir, publicBaseUrl: 'https://clips.example.test/' });
    const first = await destination.upload(clip, new AbortController().signal);
    const second = await destination.upload(clip, new AbortController().signal);
    expect(first.url).toBe('https://clips.example.test/Ab12Cd.mp4');
    expect(second).toEqual(first);
    expect(readFileSync(join(dir, 'Ab12Cd.mp4')).equals(readFileSync(clip.path))).toBe(true);
    expect(readdirSync(dir)).toEqual(['Ab12Cd.mp4']);
  });

  it('ids cannot leave the folder: unsafe characters are replaced', async () => {
    const dir = temp.make();
    const destination = new LocalDestination({ dir, fileName: '{creatorId}-{clipId}.{ext}' });
    const { url } = await destination.upload({ ...clip, creatorId: '../../etc', clipId: 'x/y' }, new AbortController().signal);
    expect(fileURLToPath(url)).toBe(join(dir, '__.._etc-x_y.mp4'));
  });

  it('rejects a template that leaves the folder and a missing dir', () => {
    const destination = new LocalDestination({ dir: temp.make(), fileName: '../{clipId}.mp4' });
    expect(() => destination.relativePath(clip)).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
    expect(() => new LocalDestination({ dir: '' })).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
    expect(() => new LocalDestination({ dir: temp.make(), publicBaseUrl: 'ftp://x' })).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
  });

  it('a missing clip file → SS_ERR_CLIPS_UPLOAD_FAILED, not retryable', async () => {
    const error = await failure(new LocalDestination({ dir: temp.make() }).upload({ ...clip, path: join(temp.make(), 'gone.mp4') }, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.message).toContain('gone.mp4');
    expect(error.details).toMatchObject({ destination: 'local', clipId: 'Ab12Cd', retryable: false });
  });

  it('a folder that cannot be made → SS_ERR_CLIPS_UPLOAD_FAILED, retryable', async () => {
    const blocker = join(temp.make(), 'not-a-folder');
    writeFileSync(blocker, 'a file where the folder should be');
    const error = await failure(new LocalDestination({ dir: join(blocker, 'clips') }).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.message).toContain('cannot copy the clip');
    expect(error.details).toMatchObject({ destination: 'local', retryable: true, errno: 'ENOTDIR' });
  });

  it('an aborted signal rejects with SS_ERR_ABORTED and leaves nothing behind', async () => {
    const dir = temp.make();
    const controller = new AbortController();
    controller.abort();
    const error = await failure(new LocalDestination({ dir }).upload(clip, controller.signal));
    expect(error.code).toBe('SS_ERR_ABORTED');
    expect(readdirSync(dir)).toEqual([]);
  });
});
