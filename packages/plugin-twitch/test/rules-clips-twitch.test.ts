// End to end: tier limits and clipRules (@streamsuites/defaults' `limits`
// plugin) on `!clip` typed in the local Twitch chat, with plugin-clips'
// real handler cutting a local HLS stream: who may clip, the tier's length
// and clips per hour, and one cooldown shared by two linked accounts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityMapRef } from '@streamsuites/kernel';
import clipsPlugin from '@streamsuites/plugin-clips';
import { createTempDirs, startLocalHlsStream, startTestKernel, type LocalHlsStream } from '@streamsuites/testing';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import twitchPlugin from '../src/index.js';
import { startFakeTwitchChat, type FakeTwitchChat } from '../src/testing.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123';
const temp = createTempDirs('ss-twitch-clip-rules-');
const fakes: FakeTwitchChat[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});
afterAll(() => temp.removeAll());

let stream: LocalHlsStream;
beforeAll(async () => {
  stream = await startLocalHlsStream();
}, 30_000);
afterAll(() => stream?.stop());

it('!clip from Twitch chat: a viewer refused by role, a moderator over the tier length refused, a clip made, a linked account sharing its cooldown, the tier\'s clips per hour', async () => {
  const fake = await startFakeTwitchChat();
  fakes.push(fake);
  const dataDir = temp.make();
  const published = temp.make();
  const t = await startTestKernel({
    plugins: [twitchPlugin, clipsPlugin],
    env: { TWITCH_TOKEN: TOKEN },
    manifest: {
      dataDir,
      tiers: { free: { maxClipSeconds: 5, clipsPerHour: 2, platforms: ['twitch'] } },
      plugins: {
        twitch: { config: { chatUrl: fake.url, redundancy: 1 } },
        clips: { config: { maxClipSec: 10, destinations: { destination: { kind: 'local', options: { dir: published } } } } },
      },
      creators: {
        daniel: {
          enable: ['twitch', 'clips'],
          tier: 'free',
          clipRules: { roles: ['moderator', 'vip'], cooldown: { user: '10m' }, destinations: ['local'] },
          config: {
            twitch: { channel: 'Daniel', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' },
            clips: { capture: { input: { url: stream.url }, always: true }, replyWhenPublished: false },
          },
          triggers: [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: '{arg1}' } }] }],
        },
      },
    },
  });
  await fake.until(() => fake.clients().some((c) => c.registered && c.channels.includes('daniel')), { message: 'the bot joined #daniel' });
  const buffer = join(dataDir, 'clips', 'buffer', 'daniel', 'index.m3u8');
  await vi.waitFor(() => expect(existsSync(buffer) && (readFileSync(buffer, 'utf8').match(/#EXTINF/g)?.length ?? 0) >= 5).toBe(true), { timeout: 20_000, interval: 50 });

  // Two Twitch accounts of one person (an operator's link).
  const identity = t.kernel.resolve(identityMapRef);
  await identity.link('anna', { platform: 'twitch', userId: '1001' }, 'operator');
  await identity.link('anna', { platform: 'twitch', userId: '1002' }, 'operator');
  const failures = () => t.events.of('action.failed').map((e) => e.error.code);
  const failed = (n: number) => t.events.waitFor('action.failed', () => t.events.of('action.failed').length >= n, 10_000);
  const publishedClip = async (n: number) => {
    await vi.waitFor(() => expect(t.events.of('clip.state').filter((e) => e.state === 'published' || e.state === 'failed').length).toBe(n), { timeout: 30_000, interval: 50 });
    const last = t.events.of('clip.state').filter((e) => e.state === 'published' || e.state === 'failed').at(-1)!;
    expect(last.state, last.reason).toBe('published');
    return last;
  };

  fake.say('daniel', { login: 'viewer', userId: '2001' }, '!clip 3');
  await failed(1);
  fake.say('daniel', { login: 'anna_main', userId: '1001', role: 'moderator' }, '!clip 9');
  await failed(2);
  expect(failures()).toEqual(['SS_ERR_CLIP_RULES_ROLE', 'SS_ERR_TIER_CLIP_TOO_LONG']);
  // Nothing was queued for either.
  expect(t.events.of('clip.state')).toEqual([]);

  fake.say('daniel', { login: 'anna_main', userId: '1001', role: 'moderator' }, '!clip 3');
  const first = await publishedClip(1);
  expect(existsSync(join(published, `${first.clipId}.mp4`))).toBe(true);

  // Anna's second account is the same person: her cooldown holds.
  fake.say('daniel', { login: 'anna_alt', userId: '1002', role: 'vip' }, '!clip 2');
  await failed(3);
  expect(failures()[2]).toBe('SS_ERR_CLIP_RULES_COOLDOWN');

  fake.say('daniel', { login: 'ben', userId: '3001', role: 'vip' }, '!clip 2');
  await publishedClip(2);
  // The tier allows two clips an hour.
  fake.say('daniel', { login: 'cleo', userId: '4001', role: 'moderator' }, '!clip 2');
  await failed(4);
  expect(failures()).toEqual(['SS_ERR_CLIP_RULES_ROLE', 'SS_ERR_TIER_CLIP_TOO_LONG', 'SS_ERR_CLIP_RULES_COOLDOWN', 'SS_ERR_TIER_CLIPS_PER_HOUR']);
  await t.kernel.idle();
  expect(t.events.of('clip.state').filter((e) => e.state === 'queued')).toHaveLength(2);
}, 90_000);
