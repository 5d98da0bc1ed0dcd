/**
 * The fake's injected errors (Google's envelopes) and its quota accounting.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_COSTS } from '../src/testing.js';
import { CHANNEL, failure, fake, fixture, list, oauthClient, setClock, start, yt } from './fake-server-harness.js';
import { JsonArrayReader } from './json-array-reader.js';

describe('errors', () => {
  const REASONS = [
    ['liveChatNotFound', 404],
    ['liveChatEnded', 403],
    ['liveChatDisabled', 403],
    ['forbidden', 403],
    ['rateLimitExceeded', 403],
    ['quotaExceeded', 403],
    ['dailyLimitExceeded', 403],
    ['backendError', 503],
    ['keyInvalid', 400],
    ['authError', 401],
  ] as const;

  it.each(REASONS)('failNext(%s) → %i with errors[0].reason, then recovers', async (reason, status) => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.failNext(reason);
    const f = await failure(list(b.liveChatId));
    expect(f).toMatchObject({ status, reason });
    const error = (f.body as { error: { code: number; message: string; errors: { message: string; domain: string }[] } }).error;
    expect(error.code).toBe(status);
    expect(error.errors[0]!.message.length).toBeGreaterThan(0);
    expect((await list(b.liveChatId)).items).toEqual([]);
  });

  it('envelopes match the captured and documented bodies exactly', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    for (const [reason, file] of [
      ['quotaExceeded', 'error.quotaExceeded.json'],
      ['liveChatEnded', 'constructed-from-docs/error.liveChatEnded.constructed.json'],
      ['liveChatNotFound', 'constructed-from-docs/error.liveChatNotFound.constructed.json'],
      ['rateLimitExceeded', 'constructed-from-docs/error.rateLimitExceeded.constructed.json'],
      ['forbidden', 'constructed-from-docs/error.forbidden.constructed.json'],
    ] as const) {
      fake.failNext(reason);
      const res = await fetch(`${fake.url}youtube/v3/liveChat/messages?liveChatId=${b.liveChatId}&part=snippet&key=${fake.credentials.apiKey}`);
      const text = await res.text();
      expect(JSON.parse(text), reason).toEqual(fixture(file));
      if (reason === 'quotaExceeded') expect(text).toContain('\\u003ca href=\\"/youtube/v3/getting-started#quota\\"\\u003equota\\u003c/a\\u003e.');
    }
  });

  it('count and endpoint scope the injected failures', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.failNext('backendError', { count: 2, endpoint: 'videos.list' });
    expect((await list(b.liveChatId)).items).toEqual([]);
    expect(await failure(yt.videos.list({ part: ['id'], id: [b.videoId] }))).toMatchObject({ status: 503, reason: 'backendError' });
    expect(await failure(yt.videos.list({ part: ['id'], id: [b.videoId] }))).toMatchObject({ status: 503, reason: 'backendError' });
    expect((await yt.videos.list({ part: ['id'], id: [b.videoId] })).data.items).toHaveLength(1);
    // Failures after authentication are charged like any request; quota and auth refusals are not.
    expect(fake.unitsUsed()).toBe(5 + 3);
    fake.failNext('quotaExceeded');
    fake.failNext('authError');
    await failure(yt.videos.list({ part: ['id'], id: [b.videoId] }));
    await failure(yt.videos.list({ part: ['id'], id: [b.videoId] }));
    expect(fake.unitsUsed()).toBe(8);
    expect(fake.calls()['videos.list']).toBe(5);
  });

  it('a failure for the feed or the token endpoint must name it', async () => {
    fake.addVideo({ channelId: CHANNEL });
    fake.failNext('backendError', { endpoint: 'feeds.videos' });
    expect((await fetch(`${fake.feedUrl}?channel_id=${CHANNEL}`)).status).toBe(503);
    expect((await fetch(`${fake.feedUrl}?channel_id=${CHANNEL}`)).status).toBe(200);
    fake.failNext('backendError', { endpoint: 'oauth.token' });
    const refresh = () =>
      fetch(fake.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: fake.credentials.clientId, client_secret: fake.credentials.clientSecret, refresh_token: fake.credentials.refreshToken }),
      });
    const failed = await refresh();
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: 'internal_failure' });
    expect((await refresh()).status).toBe(200);
    // Nothing scoped to them: Data API failures never hit the feed or the token endpoint.
    fake.failNext('backendError');
    expect((await refresh()).status).toBe(200);
    expect((await fetch(`${fake.feedUrl}?channel_id=${CHANNEL}`)).status).toBe(200);
  });
});

describe('quota', () => {
  it('charges exactly the real costs', async () => {
    const b = fake.goLive({ channelId: fake.credentials.channelId });
    const { api } = oauthClient();
    const steps: [string, () => Promise<unknown>, number][] = [
      ['videos.list', () => yt.videos.list({ part: ['liveStreamingDetails'], id: [b.videoId] }), 1],
      ['liveBroadcasts.list', () => api.liveBroadcasts.list({ part: ['id'], broadcastStatus: 'active' }), 1],
      ['search.list', () => yt.search.list({ part: ['snippet'], channelId: CHANNEL, eventType: 'live', type: ['video'] }), 100],
      ['liveChatMessages.list', () => list(b.liveChatId), 5],
      [
        'liveChatMessages.insert',
        () =>
          api.liveChatMessages.insert({
            part: ['snippet'],
            requestBody: { snippet: { liveChatId: b.liveChatId, type: 'textMessageEvent', textMessageDetails: { messageText: 'hi' } } },
          }),
        50,
      ],
    ];
    let total = 0;
    for (const [name, call, cost] of steps) {
      await call();
      total += cost;
      expect(fake.unitsUsed(), name).toBe(total);
      expect(DEFAULT_COSTS[name as keyof typeof DEFAULT_COSTS]).toBe(cost);
    }
    expect(fake.requests().filter((r) => r.endpoint !== 'oauth.token').map((r) => r.units)).toEqual([1, 1, 100, 5, 50]);
  });

  it('setDailyLimit: quotaExceeded once the next call would go over; nothing charged for it; resetQuota', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.setDailyLimit(11);
    await list(b.liveChatId);
    await list(b.liveChatId);
    const f = await failure(list(b.liveChatId));
    expect(f.body).toEqual(fixture('error.quotaExceeded.json'));
    expect(f.status).toBe(403);
    expect(fake.unitsUsed()).toBe(10);
    await yt.videos.list({ part: ['id'], id: [b.videoId] }); // 1 unit still fits
    expect(fake.unitsUsed()).toBe(11);
    fake.resetQuota();
    expect(fake.unitsUsed()).toBe(0);
    await list(b.liveChatId);
    expect(fake.unitsUsed()).toBe(5);
  });

  it("quotaOverLimit 'count': calls past the limit are served, charged and counted, not refused; failNext still refuses", async () => {
    await start({ quotaOverLimit: 'count', dailyLimit: 11 });
    const b = fake.goLive({ channelId: CHANNEL });
    await list(b.liveChatId);
    await list(b.liveChatId);
    expect(fake.overLimitCalls()).toBe(0);
    await yt.videos.list({ part: ['id'], id: [b.videoId] }); // 11: exactly the limit, not over it
    expect(fake.overLimitCalls()).toBe(0);
    expect((await list(b.liveChatId)).items).toEqual([]); // 16: served
    await list(b.liveChatId); // 21
    expect(fake.unitsUsed()).toBe(21);
    expect(fake.overLimitCalls()).toBe(2);
    expect(fake.overLimitUnits()).toBe(10);
    expect(fake.requests().filter((r) => r.endpoint !== 'oauth.token').map((r) => r.overLimit ?? false)).toEqual([false, false, false, true, true]);
    // Google's refusal can still be injected, and is neither charged nor counted.
    fake.failNext('quotaExceeded');
    expect((await failure(list(b.liveChatId))).reason).toBe('quotaExceeded');
    expect(fake.unitsUsed()).toBe(21);
    // The counts outlive resetQuota (and the quota day): "ever went over", not "is over now".
    fake.resetQuota();
    expect(fake.unitsUsed()).toBe(0);
    expect(fake.overLimitCalls()).toBe(2);
  });

  it("quotaOverLimit defaults to 'refuse': nothing is ever counted over the limit", async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.setDailyLimit(5);
    await list(b.liveChatId);
    expect((await failure(list(b.liveChatId))).reason).toBe('quotaExceeded');
    expect(fake.overLimitCalls()).toBe(0);
    expect(fake.overLimitUnits()).toBe(0);
  });

  it('the quota day ends at midnight Pacific time (fake clock)', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.setDailyLimit(5);
    await list(b.liveChatId);
    expect((await failure(list(b.liveChatId))).reason).toBe('quotaExceeded');
    setClock(Date.UTC(2024, 4, 2, 6, 59, 59)); // 23:59:59 PDT
    expect((await failure(list(b.liveChatId))).reason).toBe('quotaExceeded');
    setClock(Date.UTC(2024, 4, 2, 7, 0, 0)); // midnight PDT
    expect(fake.unitsUsed()).toBe(0);
    await list(b.liveChatId);
    expect(fake.unitsUsed()).toBe(5);
  });

  it('costs are configurable', async () => {
    await start({ costs: { 'liveChatMessages.streamList': 1 } });
    const b = fake.goLive({ channelId: CHANNEL });
    const res = await fetch(`${fake.url}youtube/v3/liveChat/messages/stream?liveChatId=${b.liveChatId}&part=snippet&key=${fake.credentials.apiKey}`);
    const reader = new JsonArrayReader(res.body!);
    await reader.next();
    expect(fake.unitsUsed()).toBe(1);
    await reader.cancel();
  });
});
