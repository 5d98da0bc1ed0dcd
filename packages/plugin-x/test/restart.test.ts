import { describe, expect, it } from 'vitest';
import storeSqlite from '@streamsuites/store-sqlite';
import { X_POSTS_NAMESPACE, type XPostRecord } from '../src/index.js';
import { fakeX, newKey, online, postJobs, settledJobs, startX, tempDir, until } from './helpers.js';

describe('across a restart (SQLite state store)', () => {
  it('never posts the same go-live twice: the second run sees the stream again and posts nothing; a new stream posts', async () => {
    const fake = await fakeX();
    const key = newKey();
    const dataDir = tempDir();
    const event = online({ title: 'restart me' });
    const first = await startX({ fake, key, dataDir, plugins: [storeSqlite] });
    first.bus.emit('stream.online', event);
    await settledJobs(first.jobs, 1);
    await first.stop();

    // The account is already stored: the second run must not need a new authorization.
    const second = await startX({ fake, key, dataDir, plugins: [storeSqlite], seed: false });
    second.bus.emit('stream.online', { ...event, at: Date.now() });
    await until('the repeated go-live was decided', async () => (await second.store.entries(X_POSTS_NAMESPACE)).length === 1);
    second.bus.emit('stream.online', online({ title: 'after the restart' }));
    await until('the new stream posted', () => fake.tweets().length === 2);
    expect(fake.tweets().map((t) => t.text)).toEqual(['daniel is live on twitch: restart me https://twitch.tv/daniel', 'daniel is live on twitch: after the restart https://twitch.tv/daniel']);
    expect(fake.requests().filter((r) => r.path === '/2/tweets')).toHaveLength(2);
  });

  it('a post queued when the runtime stops is posted by the next run, once', async () => {
    const fake = await fakeX();
    const key = newKey();
    const dataDir = tempDir();
    // X is down during the first run: the job backs off, still queued when the runtime stops.
    const first = await startX({ fake, key, dataDir, plugins: [storeSqlite], plugin: { backoff: { initialMs: 2500, maxMs: 2500 } } });
    fake.script({ status: 503 });
    first.bus.emit('stream.online', online({ title: 'survives' }));
    await until('the first attempt failed', async () => (await postJobs(first.jobs))[0]?.attempts === 1 && (await postJobs(first.jobs))[0]?.state === 'queued');
    await first.stop();
    expect(fake.tweets()).toHaveLength(0);

    const second = await startX({ fake, key, dataDir, plugins: [storeSqlite], seed: false });
    const [job] = await settledJobs(second.jobs, 1);
    expect(job!.state).toBe('succeeded');
    expect(fake.tweets().map((t) => t.text)).toEqual(['daniel is live on twitch: survives https://twitch.tv/daniel']);
  });

  it('a post recorded but never enqueued (a crash in between) gets its job at the next start', async () => {
    const fake = await fakeX();
    const record: XPostRecord = { creatorId: 'daniel', event: 'stream.online', account: 'streamsuitesbot', text: 'recorded before the crash', state: 'pending', createdAt: Date.now() };
    const t = await startX({ fake, key: newKey(), before: (store) => store.set(X_POSTS_NAMESPACE, 'daniel\u0000stream.online\u0000twitch\u0000crashed', record) });
    const [job] = await settledJobs(t.jobs, 1);
    expect(job!.state).toBe('succeeded');
    expect(fake.tweets().map((tw) => tw.text)).toEqual(['recorded before the crash']);
    expect((await t.store.get<XPostRecord>(X_POSTS_NAMESPACE, 'daniel\u0000stream.online\u0000twitch\u0000crashed'))?.state).toBe('posted');
  });
});
