import { actionDispatcherRef, secretsRef } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { KICK_EVENTS } from '../src/index.js';
import { fakeKick, startKick } from './helpers.js';

const HELLO = [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }];

describe('Kick public API', () => {
  it('subscribes the channel to the six events with the app token once, and not again when they exist', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const first = await startKick({ fake, creators: { daniel: { channel } } });
    expect(fake.subscriptions().map((s) => [s.broadcasterUserId, s.event, s.version, s.method])).toEqual(KICK_EVENTS.map((e) => [42, e, 1, 'webhook']));
    expect(fake.tokenRequests()).toEqual(['client_credentials']);
    await first.t.stop();
    await startKick({ fake, creators: { daniel: { channel } } });
    expect(fake.subscriptions()).toHaveLength(KICK_EVENTS.length);
  });

  it('answers a trigger in Kick chat through POST /public/v1/chat with the user token', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const user = fake.issueUserToken();
    const { t, webhookUrl } = await startKick({
      fake,
      creators: { daniel: { channel, triggers: HELLO, config: { accessToken: user.accessToken, refreshToken: user.refreshToken } } },
    });
    await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: '!hello', sender: { userId: 7, username: 'Anna' } }));
    await fake.until(() => fake.chatPosts().length === 1, 'the reply');
    expect(fake.chatPosts()[0]).toMatchObject({ token: user.accessToken, type: 'bot', content: 'hi Anna!' });
    expect(t.events.of('action.failed')).toEqual([]);
    // Kick echoes the bot's message back as a webhook with the id it answered: not a new chat message.
    const echo = fake.chatMessage(channel, { messageId: fake.chatPosts()[0]!.messageId, text: 'hi Anna!', sender: { userId: 99, username: 'BotRix' } });
    expect((await fake.deliver(webhookUrl, 'chat.message.sent', echo)).status).toBe(200);
    await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'after', sender: { userId: 7, username: 'Anna' } }));
    await t.events.waitFor('chat.message', (m) => m.text === 'after');
    expect(t.events.of('chat.message').map((m) => m.text)).toEqual(['!hello', 'after']);
    // Neither token nor client secret ever reaches the logs.
    expect(t.logs.text()).not.toContain(user.accessToken);
    expect(t.logs.text()).not.toContain(fake.clientSecret);
    expect(t.kernel.resolve(secretsRef).redactString(`x ${user.refreshToken} y`)).not.toContain(user.refreshToken);
  });

  it('sends as the user into broadcaster_user_id with sendAs "user", and deletes with chat.delete', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const user = fake.issueUserToken();
    const triggers = [...HELLO, { type: 'command', params: { command: '!spam' }, actions: [{ type: 'chat.delete', params: {} }] }];
    const { webhookUrl } = await startKick({ fake, creators: { daniel: { channel, triggers, config: { accessToken: user.accessToken, sendAs: 'user' } } } });
    await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: '!hello', sender: { userId: 7, username: 'Anna' } }));
    const spam = fake.chatMessage(channel, { text: '!spam', sender: { userId: 8, username: 'Bob' } });
    await fake.deliver(webhookUrl, 'chat.message.sent', spam);
    await fake.until(() => fake.chatPosts().length === 1 && fake.chatDeletes().length === 1);
    expect(fake.chatPosts()[0]).toMatchObject({ type: 'user', broadcasterUserId: 42, content: 'hi Anna!' });
    expect(fake.chatDeletes()).toEqual([spam.message_id]);
  });

  it('refreshes an expired user token once and retries; a token Kick keeps refusing is SS_ERR_KICK_AUTH after one refresh', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const user = fake.issueUserToken();
    const { t } = await startKick({ fake, creators: { daniel: { channel, config: { accessToken: user.accessToken, refreshToken: user.refreshToken } } } });
    const actions = t.kernel.resolve(actionDispatcherRef);
    const reply = (text: string) => actions.dispatch({ type: 'chat.reply', params: { text } }, { creatorId: 'daniel', message: { platform: 'kick' } as never });

    fake.expireAccessTokens();
    const first = await reply('after expiry');
    expect(first.outcome).toBe('executed');
    expect(fake.chatPosts().map((p) => p.content)).toEqual(['after expiry']);
    expect(fake.chatPosts()[0]!.token).not.toBe(user.accessToken);
    expect(fake.tokenRequests()).toEqual(['client_credentials', 'refresh_token']);

    fake.rejectAllTokens(true);
    const refused = fake.unauthorized();
    const second = await reply('refused');
    expect(second.outcome).toBe('failed');
    expect(second.error).toMatchObject({ code: 'SS_ERR_ACTION_FAILED', cause: { code: 'SS_ERR_KICK_AUTH' } });
    expect(await t.events.waitFor('platform.auth-failed')).toMatchObject({ creatorId: 'daniel', platform: 'kick', error: { code: 'SS_ERR_KICK_AUTH' } });
    expect(fake.tokenRequests()).toEqual(['client_credentials', 'refresh_token', 'refresh_token']); // one refresh, no loop
    expect(fake.unauthorized() - refused).toBe(2);
    expect(fake.chatPosts()).toHaveLength(1);
  });

  it('fails a creator whose app credentials Kick refuses with SS_ERR_KICK_AUTH and platform.auth-failed', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    fake.rejectAllTokens(true);
    const { t } = await startKick({ fake, creators: { daniel: { channel } } });
    expect(await t.events.waitFor('platform.auth-failed')).toMatchObject({ creatorId: 'daniel', platform: 'kick', error: { code: 'SS_ERR_KICK_AUTH' } });
    expect(fake.tokenRequests()).toEqual(['client_credentials', 'client_credentials']);
  });
});
