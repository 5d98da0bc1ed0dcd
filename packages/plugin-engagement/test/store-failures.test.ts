import { MemoryStateStore } from '@streamsuites/defaults';
import { expect, it } from 'vitest';
import { CreatorPersistence } from '../src/persistence.js';
import { act, logsWith, message, mod, say, startEngagement, viewer } from './helpers.js';

/** A memory store whose writes (or reads) can be made to fail. */
class FlakyStore extends MemoryStateStore {
  failWrites = false;
  failReads = false;
  override async set(namespace: string, key: string, value: unknown): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    return super.set(namespace, key, value);
  }
  /** Appends of this voter's ballot rows fail. */
  failVoter: string | undefined;
  override async append(table: string, record: unknown): Promise<number> {
    if (this.failVoter !== undefined && (record as { voter?: string }).voter === this.failVoter) throw new Error('disk full');
    return super.append(table, record);
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

it('the ballots of a burst are written as one batch: in order, every row tried, a failure reported once, later writes after them', async () => {
  const store = new FlakyStore();
  const persistence = new CreatorPersistence(store, 'alice');
  store.failVoter = 'v2';
  const batch = persistence.saveBallot('poll-1', 'v1', 0);
  expect(persistence.saveBallot('poll-1', 'v2', 1)).toBe(batch);
  expect(persistence.saveBallot('poll-1', 'v3', 1)).toBe(batch);
  const cleared = persistence.clearBallots();
  const next = persistence.saveBallot('poll-2', 'v4', 0);
  expect(next).not.toBe(batch);
  await expect(batch).rejects.toMatchObject({ code: 'SS_ERR_ENGAGEMENT_STORE_FAILED', message: expect.stringContaining('save votes') });
  await Promise.all([cleared, next]);
  // v1 and v3 were appended (seq 1, 2) before the clear, v4 after it.
  expect(await store.lastSeq('engagement.alice.ballots')).toBe(3);
  expect((await store.read('engagement.alice.ballots')).map((row) => row.record)).toEqual([{ poll: 'poll-2', voter: 'v4', option: 0 }]);
});

it('votes whose ballots cannot be stored still count; the failure is logged once per batch, not once per vote', async () => {
  const store = new FlakyStore();
  const { t, engagement } = await startEngagement({ store });
  await act(t, message('alice', '!poll "Snack?" chips fruit', mod));
  store.append = async () => {
    throw new Error('disk full');
  };
  for (let n = 1; n <= 5; n++) say(t, message('alice', '!vote 1', viewer(n)));
  await engagement.settled();
  expect(engagement.polls('alice')[0]?.counts).toEqual([5, 0]);
  expect(logsWith(t, 'SS_ERR_ENGAGEMENT_STORE_FAILED')).toHaveLength(1);
});
