import { readFileSync } from 'node:fs';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import twitchPlugin from '../src/index.js';
import { startFakeTwitchChat, startFakeTwitchEventSub, type FakeTwitchEventSub } from '../src/testing.js';

const TOKEN = 'broadcastertoken0123456789abcd';
/** Twitch's reference examples (fixtures/eventsub-channel, provenance in its SOURCES.md): channel cool_user, id 1337. */
const example = (name: string) => (JSON.parse(readFileSync(new URL(`../fixtures/eventsub-channel/${name}.json`, import.meta.url), 'utf8')) as { event: Record<string, unknown> }).event;

const EVENTS = [
  'channel.follow',
  'channel.raid',
  'channel.cheer',
  'channel.subscribe',
  'channel.channel_points_custom_reward_redemption.add',
  'channel.poll.begin',
  'stream.online',
];

/** The streamer reading their own channel: the token may subscribe to the channel's events. */
async function streamer(): Promise<{ es: FakeTwitchEventSub; t: TestKernel }> {
  const es = await startFakeTwitchEventSub({ minKeepaliveTimeoutSeconds: 1 });
  onTestFinished(() => es.close());
  es.addUser({ login: 'cool_user', id: '1337' });
  es.addToken({
    token: TOKEN,
    userLogin: 'cool_user',
    scopes: ['user:read:chat', 'user:write:chat', 'moderator:read:followers', 'bits:read', 'channel:read:subscriptions', 'channel:manage:redemptions', 'channel:read:polls'],
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
  it('each subscribed type reaches the bus as its kernel event, once even when Twitch delivers it twice', async () => {
    const { es, t } = await streamer();
    es.duplicateNext();
    es.emit('channel.follow', example('channel.follow.v2'), { version: '2' });
    es.emit('channel.cheer', example('channel.cheer.v1'));
    es.emit('channel.subscribe', example('channel.subscribe.v1'));
    es.emit('channel.poll.begin', example('channel.poll.begin.v1'));
    es.emit('stream.online', example('stream.online.v1'));
    const online = await t.events.waitFor('stream.online');
    expect(online).toMatchObject({ creatorId: 'cool', platform: 'twitch', channel: 'cool_user' });
    expect(t.events.of('twitch.follow')).toHaveLength(1); // delivered twice, emitted once
    expect(t.events.of('twitch.follow')[0]).toMatchObject({ creatorId: 'cool', platform: 'twitch', channelId: '1337', user: { login: expect.any(String) } });
    expect(t.events.of('twitch.cheer')[0]).toMatchObject({ bits: expect.any(Number) });
    expect(t.events.of('twitch.subscribe')).toHaveLength(1);
    expect(t.events.of('twitch.poll')[0]).toMatchObject({ phase: 'begin', choices: expect.any(Array) });
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
