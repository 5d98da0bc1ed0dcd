import type { ChatMessage } from '@streamsuites/kernel';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import twitchPlugin from '../src/index.js';
import { startFakeTwitchChat, startFakeTwitchEventSub, type FakeTwitchChat, type FakeTwitchEventSub } from '../src/testing.js';

const TOKEN = 'eventsubbottoken0123456789abc';
const CHAT_SCOPES = ['user:read:chat', 'user:write:chat'];

async function fakes(options: { scopes?: string[]; keepalive?: number } = {}) {
  const es = await startFakeTwitchEventSub({ minKeepaliveTimeoutSeconds: 1, reconnectGraceMs: 60_000 });
  onTestFinished(() => es.close());
  es.addUser({ login: 'alice', id: '1001' });
  es.addUser({ login: 'ssbot', id: '2002' });
  es.addToken({ token: TOKEN, userLogin: 'ssbot', scopes: options.scopes ?? CHAT_SCOPES });
  const irc = await startFakeTwitchChat();
  onTestFinished(() => irc.close());
  irc.setValidTokens([TOKEN]);
  return { es, irc };
}

async function start(es: FakeTwitchEventSub, irc: FakeTwitchChat, twitch: Record<string, unknown>, plugin: Record<string, unknown> = {}): Promise<TestKernel> {
  return startTestKernel({
    plugins: [twitchPlugin],
    env: { TWITCH_TOKEN: TOKEN },
    manifest: {
      plugins: {
        twitch: {
          config: {
            chatUrl: irc.url,
            eventsubUrl: es.wsUrl,
            helixUrl: es.helixUrl,
            oauthUrl: es.oauthUrl,
            eventsubKeepaliveSec: 1,
            reconnect: { initialMs: 100, maxMs: 1000 },
            ...plugin,
          },
        },
      },
      creators: {
        alice: {
          enable: ['twitch'],
          config: { twitch: { channel: 'alice', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}', clientId: es.clientId, ...twitch } },
          triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }],
        },
      },
    },
  });
}

const texts = (t: TestKernel) => t.events.of('chat.message').map((m: ChatMessage) => `${m.author.login}: ${m.text}`);
/** The six chat subscription types enabled on a connected session. */
const chatSubscribed = (es: FakeTwitchEventSub) => () =>
  new Set(es.subscriptions().filter((s) => s.type.startsWith('channel.chat') && s.status === 'enabled').map((s) => s.type)).size === 6 &&
  es.sessions().some((s) => s.state === 'connected');

describe('plugin-twitch chat over EventSub (local EventSub server)', () => {
  it('reads chat, answers a trigger through the Send Chat Message API, and drops its own reply coming back', async () => {
    const { es, irc } = await fakes();
    const t = await start(es, irc, { transport: 'eventsub' });
    await es.until(chatSubscribed(es), { message: 'chat subscriptions' });
    expect(irc.connections()).toBe(0); // EventSub only
    const types = es.subscriptions().map((s) => s.type).sort();
    expect(types).toEqual(['channel.chat.clear', 'channel.chat.clear_user_messages', 'channel.chat.message', 'channel.chat.message_delete', 'channel.chat.notification', 'channel.chat_settings.update']);
    expect(es.subscriptions().find((s) => s.type === 'channel.chat.message')!.condition).toEqual({ broadcaster_user_id: '1001', user_id: '2002' });

    const sent = es.emitChat({ broadcaster: 'alice', chatter: 'viewer_anna', text: '!hello' });
    const message = await t.events.waitFor('chat.message');
    expect(message).toMatchObject({ id: sent.chatMessageId, platform: 'twitch', creatorId: 'alice', channel: 'alice', text: '!hello', author: { login: 'viewer_anna' } });
    await es.until(() => es.sentMessages().length === 1, { message: 'the reply through Helix' });
    expect(es.sentMessages()[0]).toMatchObject({ broadcasterId: '1001', senderId: '2002', text: 'hi viewer_anna!' });
    // Twitch delivers the bot's message back as a notification: not chat. A later message proves it was processed.
    es.emitChat({ broadcaster: 'alice', chatter: 'viewer_ben', text: 'after the reply' });
    await t.events.waitFor('chat.message', (m) => m.text === 'after the reply');
    expect(texts(t)).toEqual(['viewer_anna: !hello', 'viewer_ben: after the reply']);
    expect(t.events.of('platform.connection').map((e) => e.state)).toContain('connected');
    await t.stop();
  });

  it('session_reconnect is make-before-break: every message once, no gap, no new subscriptions', async () => {
    const { es, irc } = await fakes();
    const t = await start(es, irc, { transport: 'eventsub' });
    await es.until(chatSubscribed(es), { message: 'chat subscriptions' });
    const subscriptionsBefore = es.subscriptions().length;
    const said: string[] = [];
    let i = 0;
    const say = () => {
      es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: `message ${i}` });
      said.push(`anna: message ${i++}`);
    };
    for (let k = 0; k < 10; k++) say();
    es.sendReconnect();
    // A message on every turn of the event loop while the handover runs: a client that let the old
    // socket go before the new one was welcomed would miss some (the fake never re-sends).
    const handedOver = () => es.sessions().filter((s) => s.state === 'connected').length === 1 && es.sessions().some((s) => s.state === 'closed');
    const deadline = Date.now() + 5000;
    while (!handedOver()) {
      if (Date.now() > deadline) throw new Error('no handover');
      say();
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (let k = 0; k < 10; k++) say();
    expect(i).toBeGreaterThan(20); // some were said during the handover
    await es.until(() => texts(t).length === said.length, { message: `${said.length} messages`, timeoutMs: 5000 });
    es.duplicateNext();
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: 'delivered twice by Twitch' });
    said.push('anna: delivered twice by Twitch');
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: 'last' });
    said.push('anna: last');
    await es.until(() => texts(t).includes('anna: last'), { message: 'last' });
    expect(texts(t)).toEqual(said);
    expect(t.events.of('chat.gap')).toEqual([]);
    expect(es.subscriptions().length).toBe(subscriptionsBefore); // moved with the session, not created again
    expect(t.events.of('platform.connection').map((e) => e.state)).not.toContain('reconnecting');
    await t.stop();
  });

  it('a lapsed keepalive is a new session with subscriptions made again, and the lost window reported as chat.gap', async () => {
    const { es, irc } = await fakes();
    const t = await start(es, irc, { transport: 'eventsub' });
    await es.until(chatSubscribed(es), { message: 'chat subscriptions' });
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: 'before' });
    await t.events.waitFor('chat.message');
    es.stopKeepalives();
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: 'lost while silent' }); // the fake never re-sends it
    const gap = await t.events.waitFor('chat.gap', undefined, 10_000);
    expect(gap).toMatchObject({ creatorId: 'alice', platform: 'twitch', resumed: true, reason: expect.stringContaining('keepalive-lapsed') });
    await es.until(chatSubscribed(es), { message: 'subscribed again' });
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: 'after' });
    await t.events.waitFor('chat.message', (m) => m.text === 'after');
    expect(texts(t)).toEqual(['anna: before', 'anna: after']);
    expect(t.events.of('platform.connection').map((e) => e.state)).toContain('reconnecting');
    await t.stop();
  });

  it('auto with user:read:chat and redundancy 2: EventSub plus one IRC connection, each message once whichever saw it first', async () => {
    const { es, irc } = await fakes();
    const t = await start(es, irc, { transport: 'auto', redundancy: 2 });
    await es.until(chatSubscribed(es), { message: 'chat subscriptions' });
    await irc.until(() => irc.clients().some((c) => c.registered && c.channels.includes('alice')), { message: 'IRC joined' });
    expect(irc.clients().filter((c) => c.registered).length).toBe(1);
    for (let i = 0; i < 20; i++) {
      const id = `shared-${i}-0000-0000-000000000000`;
      // The same chat message on both transports, in either order.
      if (i % 2 === 0) {
        irc.say('alice', 'anna', `both ${i}`, { id });
        es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: `both ${i}`, chatMessageId: id });
      } else {
        es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: `both ${i}`, chatMessageId: id });
        irc.say('alice', 'anna', `both ${i}`, { id });
      }
    }
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: 'only EventSub saw this' });
    irc.say('alice', 'anna', 'only IRC saw this');
    await es.until(() => texts(t).length >= 22, { message: '22 messages' });
    irc.say('alice', 'anna', 'sentinel');
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: 'sentinel 2' });
    await es.until(() => texts(t).includes('anna: sentinel') && texts(t).includes('anna: sentinel 2'), { message: 'sentinels' });
    const counts = new Map<string, number>();
    for (const line of texts(t)) counts.set(line, (counts.get(line) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(24);
    await t.stop();
  });

  it('a subscription Twitch refuses (missing scope) is a coded warning; the others read on', async () => {
    const { es, irc } = await fakes({ scopes: CHAT_SCOPES });
    const t = await start(es, irc, { transport: 'eventsub', events: ['channel.channel_points_custom_reward_redemption.add'] });
    await es.until(chatSubscribed(es), { message: 'chat subscriptions' });
    await t.events.waitFor('kernel.started');
    const warnings = () => t.logs.lines.filter((l) => l.code === 'SS_ERR_TWITCH_EVENTSUB_SUBSCRIBE');
    await es.until(() => warnings().length === 1, { message: 'the refusal logged' });
    expect(String(warnings()[0]!.msg)).toContain('channel.channel_points_custom_reward_redemption.add: HTTP 403');
    // Said before subscribing, per feature, naming the scope.
    const missing = t.logs.lines.filter((l) => l.code === 'SS_ERR_TWITCH_SCOPE_MISSING');
    expect(missing.map((l) => [l.feature, l.msg])).toEqual([
      ['events.redemption', 'the Twitch token of creator "alice" lacks channel:read:redemptions or channel:manage:redemptions, which events.redemption needs'],
    ]);
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: 'still reading' });
    await t.events.waitFor('chat.message');
    expect(t.logs.text()).not.toContain(TOKEN);
    await t.stop();
  });

  it('EventSub going silent (keepalive loss) while IRC reads beside it loses no chat message and repeats none', async () => {
    const { es, irc } = await fakes();
    const t = await start(es, irc, { transport: 'auto', redundancy: 2 });
    await es.until(chatSubscribed(es), { message: 'chat subscriptions' });
    await irc.until(() => irc.clients().some((c) => c.registered && c.channels.includes('alice')), { message: 'IRC joined' });
    const said: string[] = [];
    const both = (text: string) => {
      const id = `ka-${said.length}-0000-0000-000000000000`;
      irc.say('alice', 'anna', text, { id });
      es.emitChat({ broadcaster: 'alice', chatter: 'anna', text, chatMessageId: id });
      said.push(`anna: ${text}`);
    };
    both('before');
    es.stopKeepalives();
    for (let i = 0; i < 10; i++) both(`while EventSub is silent ${i}`); // Twitch would not re-send these
    await es.until(() => es.sessions().filter((s) => s.state === 'connected').length === 1 && es.sessions().length >= 2, { message: 'a new EventSub session', timeoutMs: 10_000 });
    await es.until(chatSubscribed(es), { message: 'subscribed again' });
    for (let i = 0; i < 5; i++) both(`after ${i}`);
    await es.until(() => texts(t).length === said.length, { message: `${said.length} messages` });
    irc.say('alice', 'anna', 'sentinel');
    await es.until(() => texts(t).includes('anna: sentinel'), { message: 'sentinel' });
    expect(texts(t)).toEqual([...said, 'anna: sentinel']);
    // IRC carried the chat: no gap, and the creator stayed connected.
    expect(t.events.of('chat.gap')).toEqual([]);
    expect(t.events.of('platform.connection').map((e) => e.state)).not.toContain('reconnecting');
    await t.stop();
  });

  it('sendAs app: replies go out with an app token when the bot granted user:bot and the channel channel:bot; without channel:bot the action fails with the reason', async () => {
    const { es, irc } = await fakes({ scopes: ['user:read:chat', 'user:bot'] });
    const t = await start(es, irc, { transport: 'eventsub', sendAs: 'app', clientSecret: 'fakeclientsecret000000000000000' });
    await es.until(chatSubscribed(es), { message: 'chat subscriptions' });
    es.emitChat({ broadcaster: 'alice', chatter: 'viewer_anna', text: '!hello' });
    const failed = await t.events.waitFor('action.failed');
    expect(JSON.stringify(failed.error)).toContain('channel:bot'); // the cause: Twitch's 403 and the hint
    expect(es.sentMessages()).toEqual([]);

    es.addToken({ token: 'alicegrantschannelbot0123456789', userLogin: 'alice', scopes: ['channel:bot'] });
    es.emitChat({ broadcaster: 'alice', chatter: 'viewer_ben', text: '!hello' });
    await es.until(() => es.sentMessages().length === 1, { message: 'the reply with the app token' });
    expect(es.sentMessages()[0]).toMatchObject({ broadcasterId: '1001', senderId: '2002', text: 'hi viewer_ben!', isSent: true });
    expect(es.requests().some((r) => r.path === '/oauth2/token')).toBe(true);
    await t.stop();
  });
});
