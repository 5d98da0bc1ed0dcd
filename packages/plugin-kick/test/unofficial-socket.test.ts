import { describe, expect, it } from 'vitest';
import { onTestFinished } from 'vitest';
import reply from '../fixtures/unofficial-pusher/chat-message-event.reply.json' with { type: 'json' };
import { socketToChatMessage, type SocketChatMessage } from '../src/index.js';
import { startFakeKickPusher, type FakeKickPusher } from '../src/testing.js';
import { fakeKick, startKick } from './helpers.js';

async function fakePusher(): Promise<FakeKickPusher> {
  const pusher = await startFakeKickPusher();
  onTestFinished(() => pusher.close());
  return pusher;
}

const CHATROOM = 668;
const LEVEL_WARN = 40;

async function start() {
  const fake = await fakeKick();
  const pusher = await fakePusher();
  const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
  const runtime = await startKick({
    fake,
    plugin: { unofficialChat: { url: pusher.url, backoff: { initialMs: 10, maxMs: 50 } } },
    creators: { daniel: { channel, config: { unofficialChat: { chatroomId: CHATROOM } } } },
  });
  await runtime.t.events.waitFor('platform.connection', (e) => e.state === 'connected');
  return { fake, pusher, channel, ...runtime };
}

describe('the unofficial chat socket', () => {
  it('subscribes to chatrooms.<id>.v2, normalizes ChatMessageEvent like a webhook and says loudly that it is unofficial', async () => {
    const { pusher, t } = await start();
    expect(pusher.subscriptions()).toEqual([`chatrooms.${CHATROOM}.v2`]);
    pusher.say(CHATROOM, { id: 'cb4cd57d-926c-4f28-859d-abccca87e119', text: 'gg [emote:37226:KEKW]', sender: { id: 7, username: 'Anna' } });
    const message = await t.events.waitFor('chat.message');
    expect(message).toMatchObject({
      id: 'cb4cd57d-926c-4f28-859d-abccca87e119',
      platform: 'kick',
      creatorId: 'daniel',
      channel: 'daniel',
      text: 'gg [emote:37226:KEKW]',
      author: { id: '7', login: 'anna', displayName: 'Anna', roles: ['vip', 'subscriber'], color: '#FF9D00', badges: { vip: '1', subscriber: '26' } },
      emotes: [{ id: '37226', name: 'KEKW', start: 3, end: 21 }],
    });
    const notice = t.logs.lines.find((l) => String(l.msg).includes('UNOFFICIAL chat socket'));
    expect(notice).toMatchObject({ level: LEVEL_WARN, chatroomId: CHATROOM });
  });

  it('emits a message that arrives both as a webhook and on the socket once', async () => {
    const { fake, pusher, channel, t, webhookUrl } = await start();
    const id = 'f3b7c335-71a1-416a-89ba-bbff7082761b';
    await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { messageId: id, text: 'both ways' }));
    pusher.say(CHATROOM, { id, text: 'both ways' });
    pusher.say(CHATROOM, { id: 'marker-after', text: 'marker' });
    await t.events.waitFor('chat.message', (m) => m.id === 'marker-after');
    expect(t.events.of('chat.message').map((m) => m.text)).toEqual(['both ways', 'marker']);
  });

  it('reconnects and subscribes again after the connection drops', async () => {
    const { pusher, t } = await start();
    pusher.dropConnections();
    await pusher.until(() => pusher.subscriptions().length === 2, 'a second subscribe');
    await t.events.waitFor('platform.connection', (e) => e.state === 'reconnecting');
    pusher.say(CHATROOM, { id: 'after-drop', text: 'still here' });
    expect((await t.events.waitFor('chat.message')).text).toBe('still here');
    expect(pusher.connections()).toBe(2);
  });

  it('reads the reply of the captured example as a reply', () => {
    const message = socketToChatMessage(reply as SocketChatMessage, 2408714, { creatorId: 'c', channel: 'thestaticmage', receivedAt: 1 });
    expect(message).toMatchObject({
      id: 'b776e9d4-a30e-4154-8747-f8f02c2818a6',
      sentAt: Date.parse('2025-08-20T07:05:42+00:00'),
      author: { id: '2408714', login: 'thestaticmage', roles: ['broadcaster'] },
      reply: { messageId: 'f08e9286-3390-4720-a292-266b7f80ab39', authorLogin: 'thestaticmagetest', text: 'Test 6' },
    });
  });
});
