import { CHROMIUM as CHROMIUM_TOOL, toolAvailable } from '@streamsuites/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RumbleDestination, type RumbleDestinationOptions } from '../src/destinations.js';
import { ffmpegEncoder } from './fixtures/jobs-media.js';
import { startRumbleMimic, type RumbleMimic } from './fixtures/rumble-server.js';
import { openEngine, path } from './jobs-helpers.js';

const CHROMIUM = CHROMIUM_TOOL.path;
const USERNAME = 'streamsuites-bot';
const PASSWORD = 'hunter2-correct-horse-battery';

let mimic: RumbleMimic;
beforeEach(async () => {
  mimic = await startRumbleMimic({ username: USERNAME, password: PASSWORD });
});
afterEach(async () => {
  await mimic.close();
});

const rumble = (): RumbleDestination =>
  new RumbleDestination({
    uploadUrl: mimic.uploadUrl,
    username: USERNAME,
    password: PASSWORD,
    chromiumPath: CHROMIUM,
    timeouts: { navigationMs: 10_000, actionMs: 5_000, publishMs: 10_000 },
    navigationBackoff: { initialMs: 10, maxMs: 50, factor: 2 },
  } satisfies RumbleDestinationOptions);

// The job engine and the Rumble destination together: a real cut, real Chromium, the local Rumble-shaped site.
describe.skipIf(!toolAvailable(CHROMIUM_TOOL))('a clip job published to Rumble through Chromium', { timeout: 120_000 }, () => {
  it('is cut, uploaded and published with the link the site gives', async () => {
    const { engine, waitFor, events } = openEngine({ encoder: ffmpegEncoder(), destinations: { rumble: rumble() } });
    const clip = engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 1, title: 'Bridge play' });
    const done = await waitFor((e) => e.id === clip.id && (e.to === 'published' || e.to === 'failed'));
    expect(done.to, done.reason).toBe('published');
    expect(path(events.filter((e) => e.id === clip.id))).toEqual(['new->queued', 'queued->encoding', 'encoding->encoded', 'encoded->uploading', 'uploading->published']);
    expect(engine.get(clip.id).url).toMatch(new RegExp(`^${mimic.origin}/v1.*bridge-play\\.html$`));
    expect(mimic.uploads).toHaveLength(1);
  });

  it('a failing upload page is retried, then the clip fails with the reason', async () => {
    mimic.mode.uploadStatus = 500;
    const { engine, waitFor, events } = openEngine({ encoder: ffmpegEncoder(), destinations: { rumble: rumble() }, maxUploadAttempts: 2 });
    const clip = engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 1, title: 'Doomed' });
    const done = await waitFor((e) => e.id === clip.id && (e.to === 'published' || e.to === 'failed'));
    expect(done.to).toBe('failed');
    const uploads = events.filter((e) => e.id === clip.id && e.to === 'uploading');
    expect(uploads).toHaveLength(2); // two attempts
    const failed = engine.get(clip.id);
    expect(failed.errorCode).toBe('SS_ERR_CLIPS_UPLOAD_FAILED'); // the destination's own code, kept on the row
    expect(failed.error).toContain('500');
    expect(failed.error ?? '').not.toContain(PASSWORD);
  });
});
