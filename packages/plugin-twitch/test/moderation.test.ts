import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import twitchPlugin from '../src/index.js';
import { startFakeTwitchChat, startFakeTwitchEventSub, type FakeTwitchChat, type FakeTwitchEventSub } from '../src/testing.js';

const TOKEN = 'moderatorbottoken0123456789ab';
const SCOPES = ['user:read:chat', 'user:write:chat', 'chat:read', 'chat:edit', 'moderator:manage:chat_messages', 'moderator:manage:banned_users'];

const chatBehaviour = {
  bannedPhrases: [
    { phrase: 'buy followers', action: 'delete' },
    { phrase: 'scam', action: 'timeout', timeoutSec: 300, reason: 'scam' },
    { phrase: 'darn', action: 'warn', warnText: '{user}, language please' },
  ],
};
const monetization = {
  currency: 'USD',
  bitsPerUnit: 100,
  rules: [
    { kinds: ['bits'], min: 1, actions: [{ type: 'chat.reply', params: { text: 'thanks {user}' } }] },
    { kinds: ['bits'], min: 5, actions: [{ type: 'chat.reply', params: { text: 'tier 2: {user} sent {amount} {currency}' } }] },
  ],
};

async function fakes(options: { moderator?: boolean } = {}) {
  const es = await startFakeTwitchEventSub({ minKeepaliveTimeoutSeconds: 1 });
  onTestFinished(() => es.close());
  es.addUser({ login: 'alice', id: '1001' });
  es.addUser({ login: 'ssbot', id: '2002' });
  es.addToken({ token: TOKEN, userLogin: 'ssbot', scopes: SCOPES });
  if (options.moderator !== false) es.addModerator('alice', 'ssbot');
  const irc = await startFakeTwitchChat();
  onTestFinished(() => irc.close());
  irc.setValidTokens([TOKEN]);
  return { es, irc };
}

function start(es: FakeTwitchEventSub, irc: FakeTwitchChat, transport: 'eventsub' | 'irc'): Promise<TestKernel> {
  return startTestKernel({
    plugins: [twitchPlugin],
    env: { TWITCH_TOKEN: TOKEN },
    manifest: {
      plugins: { twitch: { config: { chatUrl: irc.url, eventsubUrl: es.wsUrl, helixUrl: es.helixUrl, oauthUrl: es.oauthUrl, eventsubKeepaliveSec: 1 } } },
      creators: {
        alice: {
          enable: ['twitch'],
          config: { twitch: { channel: 'alice', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}', clientId: es.clientId, transport } },
          chatBehaviour,
          monetization,
        },
      },
    },
  });
}

const chatSubscribed = (es: FakeTwitchEventSub) => () =>
  es.subscriptions().some((s) => s.type === 'channel.chat.message' && s.status === 'enabled') && es.sessions().some((s) => s.state === 'connected');

describe('chat.delete and chat.timeout on Twitch (Helix, local EventSub server)', () => {
  it('banned phrases from chat: the message deleted and the author timed out through Helix as the bot, a warning sent; 500 bits reach tier 2', async () => {
    const { es, irc } = await fakes();
    const t = await start(es, irc, 'eventsub');
    await es.until(chatSubscribed(es), { message: 'chat subscribed' });
    const spam = es.emitChat({ broadcaster: 'alice', chatter: 'spammer', text: 'Buy followers at example.com' });
    await es.until(() => es.moderationCalls().length === 1, { message: 'the delete' });
    const scam = es.emitChat({ broadcaster: 'alice', chatter: 'scammer', text: 'total SCAM here' });
    await es.until(() => es.moderationCalls().length === 2, { message: 'the timeout' });
    es.emitChat({ broadcaster: 'alice', chatter: 'viewer_ann', text: 'oh darn' });
    es.emitChat({ broadcaster: 'alice', chatter: 'cheerer', text: 'Cheer500 gg', bits: 500 });
    await es.until(() => es.sentMessages().length === 2, { message: 'the warning and the thanks' });
    const scammerId = (await t.events.waitFor('chat.message', (m) => m.id === scam.chatMessageId)).author.id;
    expect(es.moderationCalls()).toEqual([
      { action: 'delete', broadcasterId: '1001', moderatorId: '2002', messageId: spam.chatMessageId, at: expect.any(Number) },
      { action: 'timeout', broadcasterId: '1001', moderatorId: '2002', userId: scammerId, duration: 300, reason: 'scam', at: expect.any(Number) },
    ]);
    expect(es.sentMessages().map((m) => m.text).sort()).toEqual(['tier 2: cheerer sent 5.00 USD', 'viewer_ann, language please']);
    expect(t.events.of('action.failed')).toEqual([]);
    await t.stop();
  });

  it('over IRC the ids come from Get Users: the banned message is deleted by its IRC id', async () => {
    const { es, irc } = await fakes();
    const t = await start(es, irc, 'irc');
    await irc.until(() => irc.clients().some((c) => c.registered && c.channels.includes('alice')), { message: 'joined' });
    const id = irc.say('alice', 'spammer', 'cheap: buy followers!');
    await es.until(() => es.moderationCalls().length === 1, { message: 'the delete' });
    expect(es.moderationCalls()[0]).toMatchObject({ action: 'delete', broadcasterId: '1001', moderatorId: '2002', messageId: id });
    await t.stop();
  });

  it('a bot that is not a moderator: the delete fails with SS_ERR_TWITCH_MODERATION_FAILED (403) as action.failed, chat goes on', async () => {
    const { es, irc } = await fakes({ moderator: false });
    const t = await start(es, irc, 'eventsub');
    await es.until(chatSubscribed(es), { message: 'chat subscribed' });
    es.emitChat({ broadcaster: 'alice', chatter: 'spammer', text: 'buy followers' });
    const failed = await t.events.waitFor('action.failed');
    expect(failed.action.type).toBe('chat.delete');
    expect(failed.error).toMatchObject({ code: 'SS_ERR_ACTION_FAILED', cause: { code: 'SS_ERR_TWITCH_MODERATION_FAILED' } });
    expect(es.moderationCalls()).toEqual([]);
    await t.stop();
  });
});
