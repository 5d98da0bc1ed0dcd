import { readFileSync } from 'node:fs';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import twitchPlugin from '../src/index.js';
import { startFakeTwitchChat, startFakeTwitchEventSub, type FakeTwitchEventSub } from '../src/testing.js';

const TOKEN = 'broadcastertoken0123456789abcd';
/** Twitch's reference examples (fixtures/eventsub-channel, provenance in its SOURCES.md): channel cool_user, id 1337. */
const example = (name: string) => (JSON.parse(readFileSync(new URL(`../fixtures/eventsub-channel/${name}.json`, import.meta.url), 'utf8')) as { event: Record<string, unknown> }).event;

/** Every channel event type with a reference example, and the kernel event it becomes. */
const KERNEL_EVENT: Record<string, string> = {
  'channel.follow': 'twitch.follow',
  'channel.subscribe': 'twitch.subscribe',
  'channel.subscription.message': 'twitch.subscription-message',
  'channel.subscription.gift': 'twitch.gift',
  'channel.cheer': 'twitch.cheer',
  'channel.raid': 'twitch.raid',
  'channel.channel_points_custom_reward_redemption.add': 'twitch.redemption',
  'channel.hype_train.begin': 'twitch.hype-train',
  'channel.hype_train.progress': 'twitch.hype-train',
  'channel.hype_train.end': 'twitch.hype-train',
  'channel.poll.begin': 'twitch.poll',
  'channel.poll.progress': 'twitch.poll',
  'channel.poll.end': 'twitch.poll',
  'channel.prediction.begin': 'twitch.prediction',
  'channel.prediction.progress': 'twitch.prediction',
  'channel.prediction.end': 'twitch.prediction',
  'channel.ad_break.begin': 'twitch.ad-break',
  'channel.shoutout.create': 'twitch.shoutout',
  'channel.shoutout.receive': 'twitch.shoutout',
  'stream.online': 'stream.online',
  'stream.offline': 'stream.offline',
};
const EVENTS = Object.keys(KERNEL_EVENT);
const ALL_SCOPES = [
  'user:read:chat', 'user:write:chat', 'moderator:read:followers', 'bits:read', 'channel:read:subscriptions', 'channel:manage:redemptions',
  'channel:read:polls', 'channel:read:predictions', 'channel:read:hype_train', 'channel:read:ads', 'moderator:read:shoutouts',
];

/** The streamer reading their own channel: the token may subscribe to the channel's events. */
async function streamer(): Promise<{ es: FakeTwitchEventSub; t: TestKernel }> {
  const es = await startFakeTwitchEventSub({ minKeepaliveTimeoutSeconds: 1 });
  onTestFinished(() => es.close());
  es.addUser({ login: 'cool_user', id: '1337' });
  es.addToken({
    token: TOKEN,
    userLogin: 'cool_user',
    scopes: ALL_SCOPES,
  });
  const irc = await startFakeTwitchChat();
  onTestFinished(() => irc.close());
  const t = await startTestKernel({
    plugins: [twitchPlugin],
    env: { TWITCH_TOKEN: TOKEN },
    manifest: {
      plugins: { twitch: { config: { chatUrl: irc.url, eventsubUrl: es.wsUrl, helixUrl: es.helixUrl, oauthUrl: es.oauthUrl, eventsubKeepaliveSec: 1 } } },
      creators: {
        cool: {
          enable: ['twitch'],
          config: { twitch: { channel: 'cool_user', botLogin: 'cool_user', token: '${env:TWITCH_TOKEN}', clientId: es.clientId, transport: 'eventsub', events: EVENTS } },
          triggers: [
            {
              type: 'event',
              params: { event: 'twitch.redemption', where: { 'reward.title': 'title' } },
              actions: [
                { type: 'twitch.redemption.fulfill', params: { redemptionId: '{event.redemptionId}', rewardId: '{event.reward.id}' } },
                { type: 'chat.reply', params: { text: '{user} redeemed {event.reward.title}: {event.userInput}' } },
              ],
            },
            { type: 'event', params: { event: 'twitch.raid', where: { viewers: { gte: 5 } } }, actions: [{ type: 'chat.reply', params: { text: 'welcome raiders from {user}!' } }] },
          ],
        },
      },
    },
  });
  await es.until(() => es.subscriptions().filter((s) => s.status === 'enabled').length === 6 + EVENTS.length, { message: 'every subscription enabled' });
  return { es, t };
}

describe('plugin-twitch channel events over EventSub', () => {
  it('every subscribed channel event type reaches the bus as its kernel event, once even when Twitch delivers it twice', async () => {
    const { es, t } = await streamer();
    es.duplicateNext();
    for (const type of EVENTS) {
      const version = type === 'channel.follow' ? '2' : '1';
      const event = example(`${type}.v${version}`);
      // The shoutout examples are of another channel and moderator; here the streamer's own token is both.
      es.emit(type, type.startsWith('channel.shoutout') ? { ...event, broadcaster_user_id: '1337', moderator_user_id: '1337' } : event, { version });
    }
    const expected = new Map<string, number>();
    for (const name of Object.values(KERNEL_EVENT)) expected.set(name, (expected.get(name) ?? 0) + 1);
    const counts = () => new Map([...expected.keys()].map((name) => [name, t.events.of(name as 'twitch.follow').length]));
    await es.until(() => [...expected].every(([name, n]) => counts().get(name) === n), { message: 'every event once' });
    expect(counts()).toEqual(expected); // the follow, delivered twice, once
    expect(t.events.of('twitch.follow')[0]).toMatchObject({ creatorId: 'cool', platform: 'twitch', channelId: '1337', user: { login: expect.any(String) } });
    expect(t.events.of('twitch.cheer')[0]).toMatchObject({ bits: expect.any(Number) });
    expect(t.events.of('twitch.poll').map((p) => p.phase)).toEqual(['begin', 'progress', 'end']);
    expect(t.events.of('stream.online')[0]).toMatchObject({ creatorId: 'cool', platform: 'twitch' });
    expect(t.events.of('platform.normalize-failed')).toEqual([]);
    await t.stop();
  });

  it('a redemption fires the manifest trigger: the redemption is marked fulfilled through Helix and the chat is told', async () => {
    const { es, t } = await streamer();
    es.emit('channel.channel_points_custom_reward_redemption.add', example('channel.channel_points_custom_reward_redemption.add.v1'));
    await es.until(() => es.redemptionUpdates().length === 1 && es.sentMessages().length === 1, { message: 'fulfilled and announced' });
    expect(es.redemptionUpdates()[0]).toMatchObject({ broadcasterId: '1337', rewardId: '9001', redemptionId: '1234', status: 'FULFILLED' });
    expect(es.sentMessages()[0]!.text).toBe('Cooler_User redeemed title: pogchamp');
    expect(t.events.of('twitch.redemption')[0]).toMatchObject({ redemptionId: '1234', reward: { id: '9001', title: 'title', cost: 100 }, userInput: 'pogchamp' });

    es.emit('channel.raid', example('channel.raid.v1'));
    await es.until(() => es.sentMessages().length === 2, { message: 'raid welcomed' });
    expect(es.sentMessages()[1]!.text).toMatch(/^welcome raiders from /);
    expect(t.events.of('action.failed')).toEqual([]);
    await t.stop();
  });
});
