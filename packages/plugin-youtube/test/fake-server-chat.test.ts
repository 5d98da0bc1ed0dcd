/**
 * The fake's live chat through the real @googleapis/youtube client:
 * liveChatMessages.list (backlog, paging, tokens, bodies) and insert.
 */
import { describe, expect, it } from 'vitest';
import { normalizeItem } from '../src/normalize/index.js';
import type { LiveChatItem, LiveChatPage } from '../src/types.js';
import { advanceClock, CHANNEL, clock, failure, fake, fixture, keys, list, oauthClient, start, T0, texts, yt } from './fake-server-harness.js';

describe('liveChatMessages.list', () => {
  it('first call returns the recent backlog, then only new items; no item twice', async () => {
    await start({ backlogSize: 3 });
    const b = fake.goLive({ channelId: CHANNEL });
    for (let i = 1; i <= 5; i++) fake.say({ author: 'alice', text: `m${i}` });
    const first = await list(b.liveChatId);
    expect(texts(first)).toEqual(['m3', 'm4', 'm5']);
    expect(first.pollingIntervalMillis).toBe(2000);
    expect(first.pageInfo).toEqual({ totalResults: 5, resultsPerPage: 3 });
    expect(first.offlineAt).toBeUndefined();

    const empty = await list(b.liveChatId, first.nextPageToken!);
    expect(empty.items).toEqual([]);
    expect(empty.nextPageToken).toBe(first.nextPageToken);

    fake.say({ author: 'bob', text: 'm6' });
    fake.superChat({ author: 'carol', amountMicros: 5_000_000, comment: 'gg' });
    fake.setPollingInterval(7500);
    const next = await list(b.liveChatId, empty.nextPageToken!);
    expect(texts(next)).toEqual(['m6', '$5.00 from carol: "gg"']);
    expect(next.pollingIntervalMillis).toBe(7500);
    const again = await list(b.liveChatId, next.nextPageToken!);
    expect(again.items).toEqual([]);

    const ids = [...first.items!, ...next.items!].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fake.unitsUsed()).toBe(4 * 5);
    expect(fake.calls()['liveChatMessages.list']).toBe(4);
  });

  it('maxResults pages through a long chat; a token is bound to its chat', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const other = fake.goLive({ channelId: 'UCother00000000000000001' });
    for (let i = 1; i <= 7; i++) fake.say({ author: 'alice', text: `m${i}`, liveChatId: b.liveChatId });
    const seen: string[] = [];
    let token: string | undefined;
    for (let n = 0; n < 4; n++) {
      const page = await list(b.liveChatId, token, { maxResults: 3 });
      seen.push(...texts(page));
      token = page.nextPageToken!;
    }
    expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    expect(await failure(list(other.liveChatId, token))).toMatchObject({ status: 400, reason: 'invalidPageToken' });
    expect(await failure(list(b.liveChatId, 'garbage!'))).toMatchObject({ status: 400, reason: 'invalidPageToken' });
    expect(await failure(list(b.liveChatId, undefined, { maxResults: 5000 }))).toMatchObject({ status: 400, reason: 'invalidValue' });
  });

  it('bodies are shaped like the captured page; part filters the item parts', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: { displayName: 'Mod', isChatModerator: true, isVerified: true }, text: 'hello' });
    const page = await list(b.liveChatId);
    const captured = fixture<LiveChatPage>('liveChatMessages.list.text.scrubbed-2023.json');
    expect(keys(page)).toEqual(keys(captured));
    const item = page.items![0]!;
    expect(keys(item)).toEqual(keys(captured.items![0]));
    expect(keys(item.snippet)).toEqual(keys(captured.items![0]!.snippet));
    expect(keys(item.authorDetails)).toEqual(keys(captured.items![0]!.authorDetails));
    expect(item.id).toMatch(/^LCC\.[\w-]+$/);
    expect(item.snippet!.publishedAt).toBe('2024-05-01T18:00:00.000000+00:00');
    expect(item.authorDetails).toMatchObject({ displayName: 'Mod', isChatModerator: true, isVerified: true, isChatOwner: false });

    const snippetOnly = (await yt.liveChatMessages.list({ liveChatId: b.liveChatId, part: ['snippet'] })).data;
    expect(snippetOnly.items![0]!.authorDetails).toBeUndefined();
    expect(snippetOnly.items![0]!.snippet!.authorChannelId).toBe(item.authorDetails!.channelId);
  });

  it('after endStream: chatEndedEvent and offlineAt, then liveChatEnded', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'bye' });
    const first = await list(b.liveChatId);
    advanceClock(5000);
    fake.endStream();
    const last = await list(b.liveChatId, first.nextPageToken!);
    expect(last.items!.map((i) => i.snippet!.type)).toEqual(['chatEndedEvent']);
    expect(last.offlineAt).toBe('2024-05-01T18:00:05Z');
    expect(last.items![0]!.authorDetails!.isChatOwner).toBe(true);
    expect(await failure(list(b.liveChatId, last.nextPageToken!))).toMatchObject({ status: 403, reason: 'liveChatEnded' });
    expect(await failure(list(b.liveChatId))).toMatchObject({ status: 403, reason: 'liveChatEnded' });
    expect(await failure(list('no-such-chat'))).toMatchObject({ status: 404, reason: 'liveChatNotFound' });
  });

  it('enforcePollingInterval answers rateLimitExceeded to an early poll (driven by the fake clock)', async () => {
    await start({ enforcePollingInterval: true, pollingIntervalMs: 3000 });
    const b = fake.goLive({ channelId: CHANNEL });
    const first = await list(b.liveChatId);
    advanceClock(2999);
    expect(await failure(list(b.liveChatId, first.nextPageToken!))).toMatchObject({ status: 403, reason: 'rateLimitExceeded' });
    advanceClock(1);
    expect((await list(b.liveChatId, first.nextPageToken!)).items).toEqual([]);
  });

  it('a token the API no longer accepts is 400 invalidPageToken: expirePageTokens, pageTokenTtlMs, a position the chat does not have', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'm1' });
    const first = await list(b.liveChatId);
    fake.expirePageTokens(b.liveChatId);
    const expired = await failure(list(b.liveChatId, first.nextPageToken!));
    expect(expired).toMatchObject({ status: 400, reason: 'invalidPageToken' });
    expect(expired.body).toEqual({
      error: {
        code: 400,
        message: 'The request specifies an invalid page token.',
        errors: [{ message: 'The request specifies an invalid page token.', domain: 'youtube.parameter', reason: 'invalidPageToken', location: 'pageToken', locationType: 'parameter' }],
      },
    });
    // Without a token the chat starts over (the backlog); its new token works.
    const again = await list(b.liveChatId);
    expect(texts(again)).toEqual(['m1']);
    expect((await list(b.liveChatId, again.nextPageToken!)).items).toEqual([]);

    await start({ pageTokenTtlMs: 60_000 });
    const c = fake.goLive({ channelId: CHANNEL });
    const page = await list(c.liveChatId);
    advanceClock(60_000);
    expect((await list(c.liveChatId, page.nextPageToken!)).items).toEqual([]);
    advanceClock(1);
    expect(await failure(list(c.liveChatId, page.nextPageToken!))).toMatchObject({ status: 400, reason: 'invalidPageToken' });

    // A fresh server with the same chat id (a restarted demo) does not know the old position.
    fake.say({ author: 'alice', text: 'm1', liveChatId: c.liveChatId });
    const longer = await list(c.liveChatId);
    await start();
    const d = fake.goLive({ channelId: CHANNEL });
    expect(d.liveChatId).toBe(c.liveChatId);
    expect(await failure(list(d.liveChatId, longer.nextPageToken!))).toMatchObject({ status: 400, reason: 'invalidPageToken' });
  });

  it('message ids are unique across servers: the same chat id and position at another time is another id', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const one = fake.say({ author: 'alice', text: 'x' });
    advanceClock(20_000);
    await start();
    const again = fake.goLive({ channelId: CHANNEL });
    expect(again.liveChatId).toBe(b.liveChatId);
    expect(fake.say({ author: 'alice', text: 'x' })).not.toBe(one);
  });

  it('every item the fake produces normalizes to what the control said', async () => {
    const b = fake.goLive({ channelId: CHANNEL, channelTitle: 'Creator' });
    const said = fake.say({ author: { displayName: 'Alice', isChatSponsor: true }, text: 'hi 😀' });
    fake.superChat({ author: 'Bob', amountMicros: 2_000_000, currency: 'EUR', comment: 'test' });
    fake.deleteMessage(said);
    fake.ban({ target: 'Spammer', durationSec: 300 });
    fake.ban({ target: 'Troll' });
    fake.endStream();
    const ctx = { creatorId: 'c1', channel: CHANNEL, receivedAt: clock };
    const out = fake.chatItems(b.liveChatId).map((i) => normalizeItem(i, ctx));
    expect(out.map((o) => o.kind)).toEqual(['message', 'message', 'deleted', 'user-timeout', 'user-timeout', 'chat-ended']);
    expect(out[0]).toMatchObject({ message: { id: said, text: 'hi 😀', sentAt: T0, author: { displayName: 'Alice', roles: ['member'] } } });
    expect(out[1]).toMatchObject({ message: { text: 'test', monetary: { kind: 'superchat', amountMicros: 2_000_000, currency: 'EUR', display: '€2.00' } } });
    expect(out[2]).toMatchObject({ event: { messageId: said } });
    expect(out[3]).toMatchObject({ event: { action: 'timeout', durationSec: 300, login: 'Spammer' } });
    expect(out[4]).toMatchObject({ event: { action: 'ban', login: 'Troll' } });
    expect(fake.chatItems(b.liveChatId)[3]!.snippet!.userBannedDetails!.banDurationSeconds).toBe('300');
  });

  it('push() takes raw fixture items into the chat (ids kept, liveChatId set)', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const constructed = fixture<LiveChatPage>('constructed-from-docs/liveChatMessages.list.event-types.constructed.json');
    for (const item of constructed.items!) fake.push(item);
    const superChat = fixture<LiveChatItem>('liveChatMessage.item.superChat.brianlough-2021.json');
    const generated = fake.push(superChat);
    expect(generated).toMatch(/^LCC\./);
    const page = await list(b.liveChatId);
    expect(page.items!.map((i) => i.id)).toEqual([...constructed.items!.map((i) => i.id), generated]);
    expect(page.items!.every((i) => i.snippet!.liveChatId === b.liveChatId)).toBe(true);
    expect(page.items![0]!.etag).toBe('CONSTRUCTED-etag-01');
    expect(page.items![9]!.snippet!.superChatDetails!.amountMicros).toBe('2000000');
  });
});

describe('liveChatMessages.insert', () => {
  it('posts as the bot (Bearer via the refresh flow), records it, and charges 50 units', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const { api } = oauthClient();
    const res = await api.liveChatMessages.insert({
      part: ['snippet', 'authorDetails'],
      requestBody: { snippet: { liveChatId: b.liveChatId, type: 'textMessageEvent', textMessageDetails: { messageText: 'hello chat' } } },
    });
    expect(res.data).toMatchObject({
      kind: 'youtube#liveChatMessage',
      snippet: { type: 'textMessageEvent', liveChatId: b.liveChatId, displayMessage: 'hello chat', authorChannelId: fake.credentials.channelId },
      authorDetails: { channelId: fake.credentials.channelId, displayName: 'StreamSuites Bot', isChatOwner: false },
    });
    expect(fake.inserted()).toEqual([{ id: res.data.id, liveChatId: b.liveChatId, text: 'hello chat', channelId: fake.credentials.channelId, at: T0 }]);
    expect(texts(await list(b.liveChatId))).toEqual(['hello chat']);
    expect(fake.unitsUsed()).toBe(55);
  });

  it('rejects: no token 401, empty or too long text 400, ended chat 403', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const body = (text: string, liveChatId = b.liveChatId) => ({
      part: ['snippet'],
      requestBody: { snippet: { liveChatId, type: 'textMessageEvent', textMessageDetails: { messageText: text } } },
    });
    expect(await failure(yt.liveChatMessages.insert(body('x')))).toMatchObject({ status: 401, reason: 'required' });
    const { api } = oauthClient();
    expect(await failure(api.liveChatMessages.insert(body('')))).toMatchObject({ status: 400, reason: 'invalidMessageText' });
    expect(await failure(api.liveChatMessages.insert(body('x'.repeat(201))))).toMatchObject({ status: 400, reason: 'invalidMessageText' });
    expect(await failure(api.liveChatMessages.insert(body('x', 'nope')))).toMatchObject({ status: 404, reason: 'liveChatNotFound' });
    fake.endStream();
    expect(await failure(api.liveChatMessages.insert(body('x')))).toMatchObject({ status: 403, reason: 'liveChatEnded' });
    expect(fake.inserted()).toEqual([]);
  });
});
