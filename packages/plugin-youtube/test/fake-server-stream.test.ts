/**
 * The fake's server-streamed live chat (liveChatMessages.streamList), read
 * with raw fetch as a JSON array arriving in pieces, and through the library.
 */
import { describe, expect, it, vi } from 'vitest';
import type { LiveChatPage } from '../src/types.js';
import { CHANNEL, CHAT_PARTS, fake, fixture, start, texts, yt } from './fake-server-harness.js';
import { JsonArrayReader } from './json-array-reader.js';

describe('liveChatMessages.streamList', () => {
  const streamUrl = (liveChatId: string, extra = '') =>
    `${fake.url}youtube/v3/liveChat/messages/stream?liveChatId=${encodeURIComponent(liveChatId)}&part=id&part=snippet&part=authorDetails&key=${fake.credentials.apiKey}${extra}`;

  it('streams a JSON array incrementally: backlog, each new batch, then ] when the chat ends', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'before' });
    const res = await fetch(streamUrl(b.liveChatId));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const reader = new JsonArrayReader(res.body!);

    const first = (await reader.next()) as LiveChatPage;
    expect(first.kind).toBe('youtube#liveChatMessageListResponse');
    expect(texts(first)).toEqual(['before']);
    expect(first.nextPageToken).toBeTruthy();
    expect(fake.openStreams()).toBe(1);
    expect(reader.text.trimStart().startsWith('[')).toBe(true);
    expect(reader.closed).toBe(false);

    // Nothing more has been sent until chat arrives.
    fake.say({ author: 'bob', text: 'one' });
    const second = (await reader.next()) as LiveChatPage;
    expect(texts(second)).toEqual(['one']);
    fake.say({ author: 'bob', text: 'two' });
    fake.superChat({ author: 'carol', amountMicros: 1_000_000 });
    const third = (await reader.next()) as LiveChatPage;
    const fourth = (await reader.next()) as LiveChatPage;
    expect([...texts(third), ...texts(fourth)]).toEqual(['two', '$1.00 from carol']);

    fake.endStream();
    const last = (await reader.next()) as LiveChatPage;
    expect(last.items!.map((i) => i.snippet!.type)).toEqual(['chatEndedEvent']);
    expect(last.offlineAt).toBe('2024-05-01T18:00:00Z');
    expect(await reader.next()).toBeUndefined();
    expect((await reader.rest()).trim()).toBe('');
    // The whole body is one JSON array of the documents we read.
    expect(JSON.parse(reader.text)).toEqual([first, second, third, fourth, last]);
    expect(fake.openStreams()).toBe(0);
    expect(fake.unitsUsed()).toBe(5);
    expect(fake.calls()['liveChatMessages.streamList']).toBe(1);
  });

  it('resumes from a nextPageToken without repeating items', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'a' });
    const r1 = new JsonArrayReader((await fetch(streamUrl(b.liveChatId))).body!);
    const d1 = (await r1.next()) as LiveChatPage;
    await r1.cancel();
    // The server notices the client going away (event-driven; waitFor only re-checks).
    await vi.waitFor(() => expect(fake.openStreams()).toBe(0));
    fake.say({ author: 'alice', text: 'b' });
    const r2 = new JsonArrayReader((await fetch(streamUrl(b.liveChatId, `&pageToken=${d1.nextPageToken}`))).body!);
    expect(texts((await r2.next()) as LiveChatPage)).toEqual(['b']);
    fake.closeStreams();
    expect(await r2.next()).toBeUndefined();
    expect(fake.unitsUsed()).toBe(10);
  });

  it('closeStreams({ abort: true }) drops the connection without ]', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const reader = new JsonArrayReader((await fetch(streamUrl(b.liveChatId))).body!);
    await reader.next();
    fake.closeStreams({ abort: true });
    await expect(reader.next()).rejects.toThrow();
    expect(fake.openStreams()).toBe(0);
  });

  it('works through the library’s own stream method (responseType stream)', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'x' });
    const res = await yt.youtube.v3.liveChat.messages.stream({ liveChatId: b.liveChatId, part: CHAT_PARTS }, { responseType: 'stream' });
    expect(res.status).toBe(200);
    fake.endStream();
    let text = '';
    for await (const chunk of res.data) text += String(chunk);
    const docs = JSON.parse(text) as LiveChatPage[];
    expect(docs.flatMap(texts)).toEqual(['x', '<chatEndedEvent>']);
  });

  it('errors are wrapped in an array (the captured liveChatDisabled body)', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.failNext('liveChatDisabled', { endpoint: 'liveChatMessages.streamList' });
    const res = await fetch(streamUrl(b.liveChatId));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(fixture('error.liveChatDisabled.streamList-array.json'));
    const missing = await fetch(streamUrl('no-such-chat'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { errors: { reason: string }[] } }[])[0]!.error.errors[0]!.reason).toBe('liveChatNotFound');
    fake.endStream();
    const ended = await fetch(streamUrl(b.liveChatId));
    expect(ended.status).toBe(403);
    expect(((await ended.json()) as { error: { errors: { reason: string }[] } }[])[0]!.error.errors[0]!.reason).toBe('liveChatEnded');
    expect(fake.unitsUsed()).toBe(15);
  });

  it('streamSupported: false → 404 (a client falls back to polling)', async () => {
    await start({ streamSupported: false });
    const b = fake.goLive({ channelId: CHANNEL });
    const res = await fetch(streamUrl(b.liveChatId));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Error 404');
    expect(fake.unitsUsed()).toBe(0);
    fake.setStreamSupported(true);
    const ok = await fetch(streamUrl(b.liveChatId));
    expect(ok.status).toBe(200);
    await ok.body!.cancel();
  });
});
