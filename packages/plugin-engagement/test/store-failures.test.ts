import { MemoryStateStore } from '@streamsuites/defaults';
import { expect, it } from 'vitest';
import { act, logsWith, message, startEngagement, viewer } from './helpers.js';

/** A memory store whose writes (or reads) can be made to fail. */
class FlakyStore extends MemoryStateStore {
  failWrites = false;
  failReads = false;
  override async set(namespace: string, key: string, value: unknown): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    return super.set(namespace, key, value);
  }
  override async entries<T = unknown>(namespace: string): Promise<[string, T][]> {
    if (this.failReads) throw new Error('database is locked');
    return super.entries<T>(namespace);
  }
}

it('a failing write fails the action with a coded error; memory keeps the change and the store catches up', async () => {
  const store = new FlakyStore();
  const { t, engagement } = await startEngagement({ store });
  store.failWrites = true;
  const failed = await act(t, message('alice', '!point', viewer(1)));
  expect(failed.event).toBe('action.failed');
  expect(JSON.stringify(logsWith(t, 'SS_ERR_ENGAGEMENT_STORE_FAILED'))).toContain('The state store failed to save a score for creator \\"alice\\"');
  expect(engagement.scoreboards('alice')[0]?.entries).toEqual([{ rank: 1, label: 'Viewer1', score: 1 }]);

  store.failWrites = false;
  expect((await act(t, message('alice', '!point', viewer(1)))).event).toBe('action.dispatched');
  expect(await store.entries('engagement.alice.scores')).toEqual([['points\u0000viewer1', { label: 'Viewer1', value: 2 }]]);
});

it('a store that cannot be read stops engagement for the creator with a coded error', async () => {
  const store = new FlakyStore();
  store.failReads = true;
  const { t, engagement } = await startEngagement({ store });
  const failures = t.events.of('kernel.plugin.failed');
  expect(failures.map((f) => [f.pluginId, f.creatorId])).toEqual([
    ['engagement', 'alice'],
    ['engagement', 'bob'],
  ]);
  expect(failures[0]?.error.message).toContain('The state store failed to load polls, tallies and scores for creator "alice"');
  await expect(engagement.addToTally('alice', { tally: 'deaths', label: 'x', delta: 1 })).rejects.toMatchObject({ code: 'SS_ERR_ENGAGEMENT_NOT_ENABLED' });
});
