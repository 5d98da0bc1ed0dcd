import type { ChatMessage } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { fakeKick, startKick, tempDir } from './helpers.js';

describe('Kick webhooks', () => {
  it('accepts a delivery signed with Kick\'s key and normalizes the documented chat message', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 123456789, username: 'Daniel' });
    const { t, webhookUrl } = await startKick({ fake, creators: { daniel: { channel } } });
    // The documented example as it is: moderator + subscriber badges, three emotes, a reply.
    const payload = fake.chatMessage(channel, {});
    delete (payload as Record<string, unknown>).replies_to;
    const doc = (await import('../fixtures/kick-dev-docs/chat.message.sent.json', { with: { type: 'json' } })).default;
    (payload as Record<string, unknown>).replies_to = doc.replies_to;
    const delivery = await fake.deliver(webhookUrl, 'chat.message.sent', payload);
    expect(delivery.status).toBe(200);
    const message = await t.events.waitFor('chat.message');
    expect(message).toMatchObject({
      id: payload.message_id,
      platform: 'kick',
      creatorId: 'daniel',
      channel: 'daniel',
      text: doc.content,
      isAction: false,
      author: { id: '987654321', login: 'sender_name', displayName: 'sender_name', roles: ['moderator', 'subscriber'], color: '#FF5733', badges: { moderator: '1', sub_gifter: '5', subscriber: '3' } },
      reply: { messageId: 'unique_message_id_456', authorLogin: 'parent_sender_name', text: 'This is the parent message!' },
    } satisfies Partial<ChatMessage> & Record<string, unknown>);
    // Kick's inclusive s..e become exclusive ends over the [emote:id:name] tokens.
    expect(message.emotes).toEqual([
      { id: '4148074', name: 'HYPERCLAP', start: 6, end: 31 },
      { id: '4148074', name: 'HYPERCLAP', start: 32, end: 57 },
      { id: '37226', name: 'KEKW', start: 58, end: 76 },
    ]);
    for (const e of message.emotes!) expect([...message.text].slice(e.start, e.end).join('')).toMatch(/^\[emote:\d+:\w+\]$/);
  });

  it('refuses a tampered body or a foreign signature with 401, emits nothing and never logs the body', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const { t, webhookUrl } = await startKick({ fake, creators: { daniel: { channel } } });
    const secretText = 'my private words 7731';
    const tampered = await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: secretText }), { tamperBody: true });
    expect(tampered.status).toBe(401);
    const foreign = await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: secretText }), { wrongKey: true });
    expect(foreign.status).toBe(401);
    // A good one after them is the sync point: everything before it was handled.
    await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'fine' }));
    await t.events.waitFor('chat.message');
    expect(t.events.of('chat.message').map((m) => m.text)).toEqual(['fine']);
    const refusals = t.logs.lines.filter((l) => String(l.msg).includes('Kick-Event-Signature does not verify'));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ messageId: tampered.messageId, eventType: 'chat.message.sent' });
    expect(t.logs.text()).not.toContain('my private words');
  });

  it('refuses a delivery whose timestamp is outside the window (400) and one without Kick headers (401)', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const { t, webhookUrl } = await startKick({ fake, creators: { daniel: { channel } }, plugin: { webhook: { maxAgeSec: 60 } } });
    const stale = await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'old' }), { timestamp: new Date(Date.now() - 120_000).toISOString() });
    expect(stale.status).toBe(400);
    const future = await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'future' }), { timestamp: new Date(Date.now() + 120_000).toISOString() });
    expect(future.status).toBe(400);
    const bare = await fetch(webhookUrl, { method: 'POST', body: '{}' });
    expect(bare.status).toBe(401);
    await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'fresh' }), { timestamp: new Date(Date.now() - 30_000).toISOString() });
    await t.events.waitFor('chat.message');
    expect(t.events.of('chat.message').map((m) => m.text)).toEqual(['fresh']);
  });

  it('ignores a redelivered Kick-Event-Message-Id, also after a restart on a persisted store', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const dataDir = tempDir();
    const storeSqlite = (await import('@streamsuites/store-sqlite')).default;
    const first = await startKick({ fake, dataDir, plugins: [storeSqlite], creators: { daniel: { channel } } });
    const hello = await fake.deliver(first.webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'hello' }));
    expect(hello.status).toBe(200);
    // The same webhook again (Kick retries), and a follow redelivered: 200 (so Kick stops) but nothing new.
    const again = await fake.deliver(first.webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'hello' }), { messageId: hello.messageId });
    expect(again).toMatchObject({ status: 200, body: 'duplicate' });
    const follow = await fake.deliver(first.webhookUrl, 'channel.followed', fake.channelEvent(channel, 'channel.followed'));
    expect((await fake.deliver(first.webhookUrl, 'channel.followed', fake.channelEvent(channel, 'channel.followed'), { messageId: follow.messageId })).body).toBe('duplicate');
    expect(first.t.events.of('chat.message').map((m) => m.text)).toEqual(['hello']);
    expect(first.t.events.of('chat.notice').map((n) => n.id)).toEqual([follow.messageId]);
    await first.t.stop();

    const second = await startKick({ fake, dataDir, plugins: [storeSqlite], creators: { daniel: { channel } } });
    const replay = await fake.deliver(second.webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'hello' }), { messageId: hello.messageId });
    expect(replay).toMatchObject({ status: 200, body: 'duplicate' });
    await fake.deliver(second.webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'new' }));
    await second.t.events.waitFor('chat.message');
    expect(second.t.events.of('chat.message').map((m) => m.text)).toEqual(['new']);
  });

  it('turns livestream.status.updated into stream.online / stream.offline and follows and subs into notices', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const { t, webhookUrl } = await startKick({ fake, creators: { daniel: { channel } } });
    await fake.deliver(webhookUrl, 'livestream.status.updated', fake.livestream(channel, true, 'Going live!'));
    expect(await t.events.waitFor('stream.online')).toMatchObject({ creatorId: 'daniel', platform: 'kick', channel: 'daniel', title: 'Going live!', startedAt: Date.parse('2025-01-01T11:00:00+11:00') });
    for (const event of ['channel.followed', 'channel.subscription.new', 'channel.subscription.renewal', 'channel.subscription.gifts'] as const) {
      expect((await fake.deliver(webhookUrl, event, fake.channelEvent(channel, event))).status).toBe(200);
    }
    await fake.deliver(webhookUrl, 'livestream.status.updated', fake.livestream(channel, false));
    await t.events.waitFor('stream.offline');
    expect(t.events.of('chat.notice').map((n) => [n.kind, n.author?.login ?? null, n.data])).toEqual([
      ['follow', 'follower_name', undefined],
      ['sub', 'subscriber_name', { months: 1 }],
      ['resub', 'subscriber_name', { months: 3 }],
      ['subgift', 'gifter_name', { count: 1, anonymous: false, giftees: 'giftee_name' }],
    ]);
    expect(t.events.names().filter((n) => n.startsWith('stream.'))).toEqual(['stream.online', 'stream.offline']);
  });

  it('ignores deliveries for channels no creator runs and reports a payload it cannot read', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const { t, webhookUrl } = await startKick({ fake, creators: { daniel: { channel } } });
    const stranger = { broadcasterUserId: 999, slug: 'someone' };
    expect((await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(stranger, { text: 'not ours' }))).status).toBe(200);
    const broken = fake.chatMessage(channel, { text: 'x' });
    delete (broken as Record<string, unknown>).sender;
    expect((await fake.deliver(webhookUrl, 'chat.message.sent', broken)).status).toBe(200);
    expect(await t.events.waitFor('platform.normalize-failed')).toMatchObject({ creatorId: 'daniel', platform: 'kick', code: 'SS_ERR_KICK_NORMALIZE_FAILED' });
    expect(t.events.of('chat.message')).toEqual([]);
  });
});
