import { describe, expect, it } from 'vitest';
import { loadAccount, parseSecretKey, X_LIVE_NAMESPACE, X_LIVE_STALE_MS, X_POSTS_NAMESPACE, X_POSTS_RETENTION_MS, type XPostRecord } from '../src/index.js';
import { fakeX, newKey, online, postJobs, settledJobs, startX, until } from './helpers.js';

describe('go-live posts', () => {
  it('posts a go-live once per stream with the default template; a repeated stream.online of the same stream posts nothing', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), creators: { daniel: { x: { displayName: 'Daniel' } } } });
    const event = online({ title: 'Speedrun night' });
    t.bus.emit('stream.online', event);
    await settledJobs(t.jobs, 1);
    t.bus.emit('stream.online', { ...event, at: Date.now() + 1000 });
    t.bus.emit('stream.online', event);
    await until('both go-live repeats decided', async () => (await t.store.entries(X_POSTS_NAMESPACE)).length === 1 && (await postJobs(t.jobs)).length === 1);
    // A different stream posts again.
    t.bus.emit('stream.online', online({ title: 'Second stream' }));
    await settledJobs(t.jobs, 2);
    expect(fake.tweets().map((tw) => tw.text)).toEqual([
      'Daniel is live on twitch: Speedrun night https://twitch.tv/daniel',
      'Daniel is live on twitch: Second stream https://twitch.tv/daniel',
    ]);
    expect((await postJobs(t.jobs)).map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    const records = (await t.store.entries<XPostRecord>(X_POSTS_NAMESPACE)).map(([, r]) => r);
    expect(records.map((r) => r.state)).toEqual(['posted', 'posted']);
    expect(records.map((r) => r.tweetId).sort()).toEqual(fake.tweets().map((tw) => tw.id).sort());
  });

  it('a hot standby\'s go-live is not posted (the active process posts it); once promoted, it is', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), creators: { daniel: { x: { displayName: 'Daniel' } } } });
    await t.kernel.stopCreator('daniel');
    await t.kernel.startCreator('daniel', { standby: true });
    t.bus.emit('stream.online', online({ title: 'Seen by the standby' }));
    t.kernel.promoteCreator('daniel');
    t.bus.emit('stream.online', online({ title: 'After promotion' }));
    await settledJobs(t.jobs, 1);
    expect(fake.tweets().map((tw) => tw.text)).toEqual(['Daniel is live on twitch: After promotion https://twitch.tv/daniel']);
  });

  it('one go-live per stream session: going live on a second platform while live on the first posts nothing; after both ended, the next go-live posts', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), creators: { daniel: { x: { displayName: 'Daniel' } } } });
    const twitch = online({ title: 'Simulcast' });
    t.bus.emit('stream.online', twitch);
    await settledJobs(t.jobs, 1);
    const youtube = online({ platform: 'youtube', title: 'Simulcast' });
    t.bus.emit('stream.online', youtube);
    t.bus.emit('stream.offline', twitch);
    t.bus.emit('stream.offline', youtube);
    t.bus.emit('stream.online', online({ platform: 'youtube', title: 'Next day' }));
    await settledJobs(t.jobs, 2);
    expect(fake.tweets().map((tw) => tw.text)).toEqual(['Daniel is live on twitch: Simulcast https://twitch.tv/daniel', 'Daniel is live on youtube: Next day https://twitch.tv/daniel']);
    expect(t.logs.lines.filter((l) => String(l.msg).startsWith('X post skipped: the creator is already live on another platform'))).toHaveLength(1);
  });

  it('a live platform the runtime never saw end (it was down) is forgotten after a day; a fresh one still holds the go-live back', async () => {
    const fake = await fakeX();
    const stale = await startX({
      fake,
      key: newKey(),
      before: (store) => store.set(X_LIVE_NAMESPACE, 'daniel', { youtube: { stream: 'old', since: Date.now() - X_LIVE_STALE_MS - 60_000 } }),
    });
    stale.bus.emit('stream.online', online({ title: 'after a missed offline' }));
    await settledJobs(stale.jobs, 1);
    expect(fake.tweets().map((tw) => tw.text)).toEqual(['daniel is live on twitch: after a missed offline https://twitch.tv/daniel']);

    const fresh = await startX({ fake, key: newKey(), before: (store) => store.set(X_LIVE_NAMESPACE, 'daniel', { youtube: { stream: 'now', since: Date.now() - 60_000 } }) });
    fresh.bus.emit('stream.online', online({ title: 'simulcast' }));
    await until('the go-live decided', async () => fresh.logs.lines.some((l) => String(l.msg).startsWith('X post skipped: the creator is already live on another platform')));
    expect(await postJobs(fresh.jobs)).toEqual([]);
  });

  it('postingRules decide: a creator whose stream.online rule lists only discord posts nothing to X; templates.x and a creator switch are used', async () => {
    const fake = await fakeX();
    const t = await startX({
      fake,
      key: newKey(),
      postingRules: { events: { 'stream.online': { to: ['discord', 'x'], templates: { x: 'LIVE {creator}: {title}', discord: 'not for x' } } } },
      creators: {
        daniel: { postingRules: { events: { 'stream.online': { to: ['discord'] } } } },
        eve: { x: { displayName: 'Eve' } },
        bob: { x: { enabled: false } },
      },
    });
    t.bus.emit('stream.online', online({ creatorId: 'daniel', title: 'no x for me' }));
    t.bus.emit('stream.online', online({ creatorId: 'bob', title: 'bob is off' }));
    t.bus.emit('stream.online', online({ creatorId: 'eve', title: 'hello' }));
    await settledJobs(t.jobs, 1);
    // Daniel's and Bob's decisions read config only (no I/O): they are made long before Eve's post went over HTTP.
    expect(fake.tweets().map((tw) => tw.text)).toEqual(['LIVE Eve: hello']);
    expect((await postJobs(t.jobs)).map((j) => j.creatorId)).toEqual(['eve']);
  });

  it('clip.published posts the clip link; stream.offline is off by default; minIntervalSec holds a second go-live back', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), postingRules: { events: { 'stream.online': { minIntervalSec: 3600 } } } });
    t.bus.emit('stream.online', online({ title: 'first' }));
    await settledJobs(t.jobs, 1);
    t.bus.emit('stream.offline', online());
    t.bus.emit('stream.online', online({ title: 'flapping' }));
    (t.bus.emit as (name: string, event: unknown) => void)('clip.state', { clipId: 'c1', creatorId: 'daniel', platform: 'twitch', state: 'published', previous: 'uploading', reason: 'published', url: 'https://clips.example/c1', at: Date.now() });
    (t.bus.emit as (name: string, event: unknown) => void)('clip.state', { clipId: 'c2', creatorId: 'daniel', platform: 'twitch', state: 'published', previous: 'uploading', reason: 'published', url: 'file:///tmp/c2.mp4', at: Date.now() });
    await settledJobs(t.jobs, 2);
    expect(fake.tweets().map((tw) => tw.text)).toEqual(['daniel is live on twitch: first https://twitch.tv/daniel', 'New clip from daniel: https://clips.example/c1']);
  });
});

describe('tokens', () => {
  it('an expired access token is refreshed once on a 401; the rotated refresh token is stored, encrypted', async () => {
    const fake = await fakeX();
    const key = newKey();
    const t = await startX({ fake, key });
    const before = JSON.stringify(await t.store.get('x.accounts', 'streamsuitesbot'));
    fake.expireAccessTokens();
    t.bus.emit('stream.online', online({ title: 'after expiry' }));
    const [job] = await settledJobs(t.jobs, 1);
    expect(job!.state).toBe('succeeded');
    expect(fake.tweets()).toHaveLength(1);
    const paths = fake.requests().map((r) => `${r.method} ${r.path} ${r.status}${r.grantType === undefined ? '' : ` ${r.grantType}`}`);
    expect(paths.slice(-3)).toEqual(['POST /2/tweets 401', 'POST /2/oauth2/token 200 refresh_token', 'POST /2/tweets 201']);
    // Rotation: the old refresh token is spent, the one stored is the single live one.
    expect(fake.liveRefreshTokens()).toHaveLength(1);
    expect(fake.liveRefreshTokens()[0]).not.toBe(t.tokens!.refreshToken);
    const row = JSON.stringify(await t.store.get('x.accounts', 'streamsuitesbot'));
    expect(row).not.toBe(before);
    expect(row).not.toContain(fake.liveRefreshTokens()[0]);
    expect((await loadAccount(t.store, parseSecretKey(key), 'streamsuitesbot'))?.refreshToken).toBe(fake.liveRefreshTokens()[0]);
    // The rotated token is the one used next time.
    fake.expireAccessTokens();
    t.bus.emit('stream.online', online({ title: 'second expiry' }));
    const jobs = await settledJobs(t.jobs, 2);
    expect(jobs.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    expect(fake.tweets()).toHaveLength(2);
    // Never in the logs either.
    expect(t.logs.text()).not.toContain(fake.liveRefreshTokens()[0]);
    expect(t.logs.text()).not.toContain(t.tokens!.refreshToken);
  });

  it('a revoked app: one refresh attempt, then the job fails with SS_ERR_X_AUTH (not retried)', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey() });
    fake.revokeAll();
    t.bus.emit('stream.online', online());
    const [job] = await settledJobs(t.jobs, 1);
    expect(job!.state).toBe('failed');
    expect(job!.errorCode).toBe('SS_ERR_X_AUTH');
    expect(job!.attempts).toBe(1);
    expect(fake.requests().filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
    expect(fake.tweets()).toHaveLength(0);
  });
});

describe('X answers', () => {
  it('429 with x-rate-limit-reset: waits for the reset and posts once; nothing is lost', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey() });
    fake.script({ status: 429, resetInMs: 400 });
    t.bus.emit('stream.online', online({ title: 'rate limited' }));
    const [job] = await settledJobs(t.jobs, 1);
    expect(job!.state).toBe('succeeded');
    expect(job!.attempts).toBe(1); // waited inside the attempt
    const posts = fake.requests().filter((r) => r.path === '/2/tweets');
    expect(posts.map((r) => r.status)).toEqual([429, 201]);
    // The retry came after the window's reset (X's reset is in epoch seconds: the next whole second).
    expect(posts[1]!.at).toBeGreaterThanOrEqual(Math.ceil((posts[0]!.at + 400) / 1000) * 1000 - 5);
    expect(fake.tweets().map((tw) => tw.text)).toEqual(['daniel is live on twitch: rate limited https://twitch.tv/daniel']);
  });

  it('429 with retry-after is honoured', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey() });
    fake.script({ status: 429, resetInMs: 0, retryAfterSec: 1 });
    t.bus.emit('stream.online', online());
    await settledJobs(t.jobs, 1);
    const posts = fake.requests().filter((r) => r.path === '/2/tweets');
    expect(posts.map((r) => r.status)).toEqual([429, 201]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('x-rate-limit-remaining: 0 on a success: the next post waits for the reset instead of earning a 429', async () => {
    const fake = await fakeX({ tweetWindow: { limit: 1, windowMs: 1200 } });
    const t = await startX({ fake, key: newKey() });
    t.bus.emit('stream.online', online({ title: 'one' }));
    t.bus.emit('stream.online', online({ title: 'two' }));
    const jobs = await settledJobs(t.jobs, 2);
    expect(jobs.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    expect(fake.requests().filter((r) => r.path === '/2/tweets').map((r) => r.status)).toEqual([201, 201]);
    expect(fake.tweets()).toHaveLength(2);
  });

  it('5xx and a dropped connection are retried with backoff; the post goes out once', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey() });
    fake.script({ status: 503 }, { status: 'drop' }, { status: 500 });
    t.bus.emit('stream.online', online({ title: 'flaky' }));
    const [job] = await settledJobs(t.jobs, 1);
    expect(job!.state).toBe('succeeded');
    expect(job!.attempts).toBe(4);
    expect(fake.tweets()).toHaveLength(1);
  });

  it('duplicate content: the job ends as a duplicate (SS_ERR_X_DUPLICATE), not retried', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), creators: { daniel: { x: { templates: { live: 'We are live!' } } } } });
    t.bus.emit('stream.online', online());
    await settledJobs(t.jobs, 1);
    t.bus.emit('stream.online', online()); // another stream, the very same text
    const jobs = await settledJobs(t.jobs, 2);
    expect(jobs.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    expect(jobs[1]!.result).toEqual({ duplicate: true, code: 'SS_ERR_X_DUPLICATE' });
    expect(jobs[1]!.attempts).toBe(1);
    expect(fake.requests().filter((r) => r.path === '/2/tweets').map((r) => r.status)).toEqual([201, 403]);
    const states = (await t.store.entries<XPostRecord>(X_POSTS_NAMESPACE)).map(([, r]) => r.state).sort();
    expect(states).toEqual(['duplicate', 'posted']);
    expect(t.logs.text()).toContain('SS_ERR_X_DUPLICATE');
  });
});

describe('more events and token timing', () => {
  it('an access token about to expire is refreshed before posting (no 401 first)', async () => {
    const fake = await fakeX({ accessTokenTtlSec: 30 });
    const t = await startX({ fake, key: newKey() });
    t.bus.emit('stream.online', online());
    await settledJobs(t.jobs, 1);
    const calls = fake.requests().filter((r) => r.path !== '/2/oauth2/authorize').map((r) => `${r.method} ${r.path} ${r.status}${r.grantType === undefined ? '' : ` ${r.grantType}`}`);
    expect(calls).toEqual(['POST /2/oauth2/token 200 authorization_code', 'POST /2/oauth2/token 200 refresh_token', 'POST /2/tweets 201']);
  });

  it('stream.offline posts the ended text when the creator turns it on; once per stream', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), creators: { daniel: { x: { events: { 'stream.online': false, 'stream.offline': true }, templates: { ended: 'Thanks for watching {title}!' } } } } });
    const stream = online({ title: 'the finale' });
    t.bus.emit('stream.online', stream);
    t.bus.emit('stream.offline', { ...stream, at: Date.now() });
    t.bus.emit('stream.offline', { ...stream, at: Date.now() + 5 });
    await settledJobs(t.jobs, 1);
    await until('the repeated offline was decided', async () => (await t.store.entries(X_POSTS_NAMESPACE)).length === 1);
    expect(fake.tweets().map((tw) => tw.text)).toEqual(['Thanks for watching the finale!']);
    expect(await postJobs(t.jobs)).toHaveLength(1);
  });

  it('finished post records older than the retention are dropped at start; pending and recent ones stay', async () => {
    const fake = await fakeX();
    const old = Date.now() - X_POSTS_RETENTION_MS - 1000;
    const base = { creatorId: 'daniel', event: 'stream.online' as const, account: 'streamsuitesbot', text: 't' };
    const t = await startX({
      fake,
      key: newKey(),
      before: async (store) => {
        await store.set(X_POSTS_NAMESPACE, 'old-posted', { ...base, state: 'posted', createdAt: old });
        await store.set(X_POSTS_NAMESPACE, 'new-posted', { ...base, state: 'posted', createdAt: Date.now() });
      },
    });
    expect((await t.store.entries(X_POSTS_NAMESPACE)).map(([k]) => k)).toEqual(['new-posted']);
  });
});

