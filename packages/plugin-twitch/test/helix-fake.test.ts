import { afterEach, describe, expect, it } from 'vitest';
import { SS_ERR_TWITCH_AUTH, SS_ERR_TWITCH_HELIX_FAILED, SS_ERR_TWITCH_SEND_DROPPED } from '../src/errors.js';
import { refreshUserToken } from '../src/helix.js';
import { HelixChatSender } from '../src/helix/chat-send.js';
import { pollDeviceToken, requestDeviceCode } from '../src/helix/device-auth.js';
import { SS_ERR_TWITCH_DEVICE_AUTH } from '../src/helix/errors.js';
import { HelixRedemptions } from '../src/helix/redemptions.js';
import { missingScopes, scopesFor, validateToken } from '../src/helix/scopes.js';
import { startFakeTwitchEventSub, type FakeTwitchEventSub } from '../src/testing.js';

/** The same Helix code against the shared fake Twitch (Helix at /helix, OAuth at /oauth2 on one port). */
let fake: FakeTwitchEventSub;
afterEach(async () => fake?.close());

async function start() {
  fake = await startFakeTwitchEventSub({ deviceInterval: 1 });
  const bot = fake.addUser({ login: 'streambot' });
  const channel = fake.addUser({ login: 'daniel' });
  fake.addToken({ token: 'bottoken000000000000000000001', userLogin: 'streambot', scopes: ['user:read:chat', 'user:write:chat'] });
  fake.addToken({ token: 'chantoken00000000000000000001', userLogin: 'daniel', scopes: ['channel:manage:redemptions'] });
  return { bot, channel };
}

const noWait = async () => {};

describe('Helix against the fake Twitch', () => {
  it('sends a chat message and a split reply; Twitch records them in order', async () => {
    const { bot, channel } = await start();
    const sender = new HelixChatSender({ helixUrl: fake.helixUrl, clientId: fake.clientId, tokenKind: 'user', tokens: { token: () => 'bottoken000000000000000000001' } });
    const one = await sender.send({ broadcasterId: channel.id, senderId: bot.id, text: 'hello from the API' });
    const long = await sender.send({ broadcasterId: channel.id, senderId: bot.id, text: `${'word '.repeat(150)}end`, replyParentMessageId: 'parent-1' });
    const sent = fake.sentMessages();
    expect(sent.map((m) => m.messageId)).toEqual([one.messageId, ...long.messageIds]);
    expect(long.messageIds).toHaveLength(2);
    expect(sent[0]).toMatchObject({ broadcasterId: channel.id, senderId: bot.id, text: 'hello from the API', isSent: true, replyParentMessageId: null });
    expect(sent.slice(1).every((m) => m.replyParentMessageId === 'parent-1' && [...m.text].length <= 500)).toBe(true);
  });

  it.each([['msg_duplicate', false], ['msg_rejected_automod', false], ['msg_ratelimit', true]])('dropNext %s → SS_ERR_TWITCH_SEND_DROPPED (retryable %s)', async (code, retryable) => {
    const { bot, channel } = await start();
    const sender = new HelixChatSender({ helixUrl: fake.helixUrl, clientId: fake.clientId, tokenKind: 'user', tokens: { token: () => 'bottoken000000000000000000001' } });
    fake.dropNext({ code, message: `dropped: ${code}` });
    const error = await sender.send({ broadcasterId: channel.id, senderId: bot.id, text: 'hi' }).catch((e) => e);
    expect(SS_ERR_TWITCH_SEND_DROPPED.is(error)).toBe(true);
    expect(error.details).toMatchObject({ reason: code, retryable, serverText: `dropped: ${code}` });
    await expect(sender.send({ broadcasterId: channel.id, senderId: bot.id, text: 'hi' })).resolves.toMatchObject({ messageId: expect.any(String) });
  });

  it('a token without user:write:chat is refused (401, no refresh): SS_ERR_TWITCH_AUTH naming the missing scope', async () => {
    const { bot, channel } = await start();
    fake.addToken({ token: 'readonly00000000000000000001', userLogin: 'streambot', scopes: ['user:read:chat'] });
    const sender = new HelixChatSender({ helixUrl: fake.helixUrl, clientId: fake.clientId, tokenKind: 'user', tokens: { token: () => 'readonly00000000000000000001' }, creatorId: 'daniel' });
    const error = await sender.send({ broadcasterId: channel.id, senderId: bot.id, text: 'hi' }).catch((e) => e);
    expect(SS_ERR_TWITCH_AUTH.is(error)).toBe(true);
    expect(error.message).toContain('Missing scope: user:write:chat');
    expect(fake.sentMessages()).toHaveLength(0);
  });

  it('device flow (pending twice, approved) gives tokens whose refresh renews a rejected access token', async () => {
    const { bot, channel } = await start();
    const scopes = scopesFor(['chat.read', 'chat.send']);
    const code = await requestDeviceCode({ oauthUrl: fake.oauthUrl, clientId: fake.clientId, scopes });
    expect(fake.devices()).toEqual([expect.objectContaining({ userCode: code.userCode, scopes, state: 'pending' })]);
    let pendings = 0;
    const tokens = await pollDeviceToken({
      oauthUrl: fake.oauthUrl, clientId: fake.clientId, scopes, code, sleep: noWait,
      onPending: () => { pendings += 1; if (pendings === 2) fake.approveDevice(code.userCode, { login: 'streambot' }); },
    });
    expect(pendings).toBe(2);
    expect(tokens.scopes).toEqual(scopes);
    const info = await validateToken(fake.oauthUrl, tokens.accessToken);
    expect(info).toMatchObject({ login: 'streambot', userId: bot.id, clientId: fake.clientId });
    expect(missingScopes(info.scopes, ['chat.read', 'chat.send'])).toEqual([]);
    expect(missingScopes(info.scopes, ['redemptions.update'])).toEqual([{ feature: 'redemptions.update', scope: 'channel:manage:redemptions' }]);

    // An access token Twitch no longer accepts: one refresh through the existing refresh call, then the send goes through.
    let current = 'revoked0000000000000000000001';
    let refresh = tokens.refreshToken;
    const sender = new HelixChatSender({
      helixUrl: fake.helixUrl, clientId: fake.clientId, tokenKind: 'user',
      tokens: {
        token: () => current,
        refresh: async () => {
          const next = await refreshUserToken({ oauthUrl: fake.oauthUrl, clientId: fake.clientId, clientSecret: '', refreshToken: refresh });
          current = next.accessToken;
          refresh = next.refreshToken;
          return current;
        },
      },
    });
    await sender.send({ broadcasterId: channel.id, senderId: bot.id, text: 'after refresh' });
    expect(fake.sentMessages().map((m) => m.text)).toEqual(['after refresh']);
    expect(current).not.toBe('revoked0000000000000000000001');
  });

  it('device flow: a denied code is access_denied', async () => {
    await start();
    const code = await requestDeviceCode({ oauthUrl: fake.oauthUrl, clientId: fake.clientId, scopes: ['user:read:chat'] });
    fake.denyDevice(code.userCode);
    const error = await pollDeviceToken({ oauthUrl: fake.oauthUrl, clientId: fake.clientId, scopes: ['user:read:chat'], code, sleep: noWait }).catch((e) => e);
    expect(SS_ERR_TWITCH_DEVICE_AUTH.is(error)).toBe(true);
    expect(error.message).toContain('access_denied');
  });

  it('updates a redemption the fake delivered, and reports one not UNFULFILLED any more', async () => {
    const { channel } = await start();
    fake.emit('channel.channel_points_custom_reward_redemption.add', {
      id: 'red-77', broadcaster_user_id: channel.id, broadcaster_user_login: 'daniel', broadcaster_user_name: 'daniel',
      user_id: '999', user_login: 'viewer', user_name: 'Viewer', user_input: 'go', status: 'unfulfilled',
      reward: { id: 'reward-5', title: 'Hydrate', cost: 100, prompt: '' }, redeemed_at: '2026-12-05T08:00:00Z',
    });
    const redemptions = new HelixRedemptions({ helixUrl: fake.helixUrl, clientId: fake.clientId, tokens: { token: () => 'chantoken00000000000000000001' }, creatorId: 'daniel' });
    const updated = await redemptions.updateRedemption({ broadcasterId: channel.id, rewardId: 'reward-5', redemptionId: 'red-77', status: 'FULFILLED' });
    expect(updated).toMatchObject({ id: 'red-77', status: 'FULFILLED', userLogin: 'viewer', rewardId: 'reward-5' });
    expect(fake.redemptionUpdates()).toEqual([expect.objectContaining({ redemptionId: 'red-77', rewardId: 'reward-5', status: 'FULFILLED' })]);
    const again = await redemptions.updateRedemption({ broadcasterId: channel.id, rewardId: 'reward-5', redemptionId: 'red-77', status: 'CANCELED' }).catch((e) => e);
    expect(SS_ERR_TWITCH_HELIX_FAILED.is(again)).toBe(true);
    expect(again.details).toMatchObject({ status: 404 });
  });
});
