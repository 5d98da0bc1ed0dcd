import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { serializeError, type StreamSuitesError } from '@streamsuites/kernel';
import { CHROMIUM as CHROMIUM_TOOL, createTempDirs, toolAvailable } from '@streamsuites/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RumbleDestination, SS_ERR_CLIPS_CHROMIUM_MISSING, SS_ERR_CLIPS_UPLOAD_FAILED, type RumbleDestinationOptions } from '../src/destinations.js';
import type { ClipFile } from '../src/types.js';
import { startRumbleMimic, type RumbleMimic } from './fixtures/rumble-server.js';

const hasChromium = toolAvailable(CHROMIUM_TOOL);
const CHROMIUM = CHROMIUM_TOOL.path;

const USERNAME = 'streamsuites-bot';
const PASSWORD = 'hunter2-correct-horse-battery';

const temp = createTempDirs('ss-clips-rumble-');
let dir: string;
let clip: ClipFile;
let mimic: RumbleMimic;

/** A one-second real mp4 (H.264), made by ffmpeg's test source. */
function makeMp4(target: string): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', target]);
}

async function failure(promise: Promise<unknown>): Promise<StreamSuitesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the upload should have failed').toBeInstanceOf(Error);
  return error as StreamSuitesError;
}

beforeAll(() => {
  dir = temp.make();
  const path = join(dir, 'Xk3p9Q.mp4');
  makeMp4(path);
  clip = { clipId: 'Xk3p9Q', creatorId: 'daniel', path, title: 'Triple kill at the bridge', durationSec: 1 };
});
afterAll(() => temp.removeAll());

beforeEach(async () => {
  mimic = await startRumbleMimic({ username: USERNAME, password: PASSWORD });
});
afterEach(async () => {
  await mimic.close();
});

const options = (extra: RumbleDestinationOptions = {}): RumbleDestinationOptions => ({
  uploadUrl: mimic.uploadUrl,
  username: USERNAME,
  password: PASSWORD,
  chromiumPath: CHROMIUM,
  timeouts: { navigationMs: 10_000, actionMs: 5_000, publishMs: 10_000 },
  navigationBackoff: { initialMs: 10, maxMs: 50, factor: 2 },
  ...extra,
});

// Each test starts a real Chromium (two in the first); leave room on a loaded CI machine.
describe.skipIf(!hasChromium)('RumbleDestination in Chromium against a local Rumble-shaped site', { timeout: 60_000 }, () => {
  it('logs in, uploads the file with title, description and channel, and returns the published link', async () => {
    const sessionFile = join(temp.make(), 'rumble-session.json');
    const destination = new RumbleDestination(options({ sessionFile, description: 'Clipped from {creatorId} ({durationSec}s) #{clipId}' }));
    expect(destination.kind).toBe('rumble');

    const { url } = await destination.upload(clip, new AbortController().signal);

    expect(url).toBe(`${mimic.origin}/v1ab-triple-kill-at-the-bridge.html`);
    expect(mimic.stats.logins).toBe(1);
    expect(mimic.uploads).toHaveLength(1);
    const upload = mimic.uploads[0]!;
    expect(upload.bytes.equals(readFileSync(clip.path))).toBe(true);
    expect(upload.fileName).toBe('Xk3p9Q.mp4');
    expect(upload.title).toBe('Triple kill at the bridge');
    expect(upload.description).toBe('Clipped from daniel (1s) #Xk3p9Q');
    // https://rumble.com/c/StreamSuites (the default channel) is option 1234 of the form.
    expect(upload.channelId).toBe('1234');
    expect(upload.published).toBe(true);

    // The session cookie was kept (owner-only), so the next upload does not log in again.
    expect(statSync(sessionFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(sessionFile, 'utf8')).not.toContain(PASSWORD);
    const second = await new RumbleDestination(options({ sessionFile })).upload({ ...clip, title: 'Second one' }, new AbortController().signal);
    expect(second.url).toBe(`${mimic.origin}/v2ab-second-one.html`);
    expect(mimic.stats.logins).toBe(1);
    expect(mimic.uploads[1]!.bytes.equals(readFileSync(clip.path))).toBe(true);
  });

  it('loads the upload page again after a transient 503 (navigation only)', async () => {
    mimic.mode.uploadPageFailures = 2;
    const warnings: Record<string, unknown>[] = [];
    const log = { debug() {}, info() {}, warn: (fields: Record<string, unknown>) => void warnings.push(fields) };
    const { url } = await new RumbleDestination(options(), { log }).upload(clip, new AbortController().signal);
    expect(url).toBe(`${mimic.origin}/v1ab-triple-kill-at-the-bridge.html`);
    expect(warnings.map((w) => w.attempt)).toEqual([1, 2]);
    expect(JSON.stringify(warnings)).not.toContain(PASSWORD);
  });

  it('gives up on the upload page after navigationAttempts (retryable)', async () => {
    mimic.mode.uploadPageFailures = 5;
    const error = await failure(new RumbleDestination(options({ navigationAttempts: 2 })).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.message).toContain('cannot load the upload page');
    expect(error.message).toContain('HTTP 503');
    expect(error.details).toMatchObject({ retryable: true, status: 503 });
    expect(mimic.stats.uploadPageLoads).toBe(2);
  });

  it('a 500 answer to the upload → SS_ERR_CLIPS_UPLOAD_FAILED with the reason, and a screenshot', async () => {
    mimic.mode.uploadStatus = 500;
    const screenshotDir = join(temp.make(), 'shots');
    const error = await failure(new RumbleDestination(options({ screenshotDir })).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('Transcoder unavailable');
    expect(error.details).toMatchObject({ destination: 'rumble', clipId: 'Xk3p9Q', retryable: true, status: 500 });
    const shots = readdirSync(screenshotDir);
    expect(shots).toHaveLength(1);
    expect(error.details.screenshot).toBe(join(screenshotDir, shots[0]!));
    expect(readFileSync(join(screenshotDir, shots[0]!)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('an error message shown by the site → SS_ERR_CLIPS_UPLOAD_FAILED with its text (not retryable)', async () => {
    mimic.mode.uploadError = 'This video is too long for your account.';
    const error = await failure(new RumbleDestination(options()).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.message).toContain('the site reports an error: This video is too long for your account.');
    expect(error.details).toMatchObject({ retryable: false, step: 'wait for the published link' });
    expect(mimic.uploads).toHaveLength(0);
  });

  it('a rejected login → SS_ERR_CLIPS_UPLOAD_FAILED, and the password appears nowhere', async () => {
    const wrong = 'not-the-password-123456';
    const warnings: unknown[] = [];
    const log = { debug() {}, info() {}, warn: (fields: Record<string, unknown>, message: string) => void warnings.push(fields, message) };
    const error = await failure(new RumbleDestination(options({ password: wrong }), { log }).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.message).toContain('the login was rejected: Invalid username or password.');
    expect(error.details).toMatchObject({ retryable: false, step: 'log in' });
    expect(mimic.stats.failedLogins).toBe(1);
    for (const text of [error.message, JSON.stringify(serializeError(error)), JSON.stringify(error.details), String(error.cause), JSON.stringify(warnings)]) {
      expect(text).not.toContain(wrong);
    }
  });

  it('a login asked for without credentials → SS_ERR_CLIPS_UPLOAD_FAILED (not retryable)', async () => {
    const { username: _u, password: _p, ...withoutCredentials } = options();
    const error = await failure(new RumbleDestination(withoutCredentials).upload(clip, new AbortController().signal));
    expect(error.message).toContain('asks for a login, but no username and password are configured');
    expect(error.details.retryable).toBe(false);
  });

  it('refuses to publish to a channel the form does not offer', async () => {
    const error = await failure(new RumbleDestination(options({ channelUrl: 'https://rumble.com/c/SomeoneElse' })).upload(clip, new AbortController().signal));
    expect(error.message).toContain('cannot publish to the channel "SomeoneElse"');
    expect(error.message).toContain('StreamSuites');
    expect(mimic.uploads).toHaveLength(0);
  });

  it('times out when no published link comes (retryable)', async () => {
    mimic.mode.hang = true;
    const error = await failure(
      new RumbleDestination(options({ timeouts: { navigationMs: 10_000, actionMs: 5_000, publishMs: 1_500 } })).upload(clip, new AbortController().signal),
    );
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.message).toContain('no published link within 1500 ms');
    expect(error.details.retryable).toBe(true);
  });

  it('an abort closes the browser and rejects with SS_ERR_ABORTED', async () => {
    mimic.mode.hang = true;
    const controller = new AbortController();
    const received = once(mimic.events, 'upload-request');
    const upload = new RumbleDestination(options()).upload(clip, controller.signal);
    await received;
    controller.abort(new Error('job cancelled'));
    const error = await failure(upload);
    expect(error.code).toBe('SS_ERR_ABORTED');
  });
});

describe('RumbleDestination without a browser', () => {
  it('a missing Chromium → SS_ERR_CLIPS_CHROMIUM_MISSING with the install hint', async () => {
    const error = await failure(new RumbleDestination(options({ chromiumPath: join(dir, 'no-chromium-here') })).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_CHROMIUM_MISSING.is(error)).toBe(true);
    expect(error.message).toContain('no-chromium-here');
    expect(error.hint).toContain('apt install chromium');
  });

  it('a Chromium that cannot start → SS_ERR_CLIPS_CHROMIUM_MISSING', async () => {
    const error = await failure(new RumbleDestination(options({ chromiumPath: clip.path })).upload(clip, new AbortController().signal));
    expect(SS_ERR_CLIPS_CHROMIUM_MISSING.is(error)).toBe(true);
  });

  it('a missing clip file fails before any browser starts (not retryable)', async () => {
    const error = await failure(new RumbleDestination(options()).upload({ ...clip, path: join(dir, 'gone.mp4') }, new AbortController().signal));
    expect(SS_ERR_CLIPS_UPLOAD_FAILED.is(error)).toBe(true);
    expect(error.details.retryable).toBe(false);
    expect(mimic.stats.uploadPageLoads).toBe(0);
  });
});
