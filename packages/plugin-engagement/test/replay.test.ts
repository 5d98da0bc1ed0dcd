import { withDefaults } from '@streamsuites/defaults';
import { join } from 'node:path';
import { createKernel, ManualClock, type Kernel } from '@streamsuites/kernel';
import exportsPlugin from '@streamsuites/plugin-exports';
import { expect, it } from 'vitest';
import engagementPlugin from '../src/index.js';
import { ALICE_CONFIG, ALICE_TRIGGERS, ENGAGEMENT_FILES, message, mod, readExport, readTree, T0, tempDir, viewer, type Chatter } from './helpers.js';

/** A recorded session: [seconds after T0, creator, text, author]. */
const EVENTS: [number, string, string, Chatter][] = [
  [0, 'alice', '!quickpoll "First?" a b c', mod], // closes at +30 s
  [1, 'alice', '!vote a', viewer(1)],
  [2, 'alice', '!vote 2', viewer(2)],
  [3, 'alice', '!vote c', viewer(1)],
  [40, 'alice', '!death', viewer(3)], // the first chat line after +30 s closes the poll, at +30 s
  [41, 'alice', '!vote a', viewer(4)], // too late
  [45, 'alice', '!point', viewer(5)],
  [50, 'alice', '!timedpoll 10 "Last?" p q', mod], // closes at +60 s ...
  [51, 'alice', '!vote q', viewer(5)],
  [75, 'bob', 'quiet chat elsewhere', viewer(6)], // ... and no alice chat comes after: closed at stop, by the kernel clock
];

function manifest(dataDir: string) {
  return {
    dataDir,
    plugins: { exports: { config: { mirror: false } }, engagement: {} },
    creators: {
      alice: { enable: ['exports', 'engagement'], config: { engagement: ALICE_CONFIG }, triggers: ALICE_TRIGGERS },
      bob: { enable: ['exports', 'engagement'] },
    },
  };
}

/** Feeds EVENTS the way `streamsuites replay` does: clock set to each event's time, then wait for its actions. */
async function feed(kernel: Kernel, clock: ManualClock): Promise<void> {
  await kernel.start();
  try {
    for (const [seconds, creator, text, from] of EVENTS) {
      const at = T0 + seconds * 1000;
      clock.set(at);
      kernel.bus.emit('chat.message', message(creator, text, from, at));
      await kernel.idle();
    }
  } finally {
    await kernel.stop();
  }
}

async function run(mode: 'live' | 'replay') {
  const dataDir = tempDir();
  const clock = new ManualClock(T0);
  const kernel = await createKernel(
    withDefaults({
      plugins: [exportsPlugin, engagementPlugin],
      manifest: manifest(dataDir),
      clock,
      mode,
      logLevel: 'silent',
      // A replay dry-runs external actions; engagement actions are internal and still run.
      ...(mode === 'replay' ? { overrides: { sections: { dryRun: true } } } : {}),
    }),
  );
  await feed(kernel, clock);
  return join(dataDir, 'state');
}

it('a replay on a virtual clock (dry-run) gives the same engagement files as the live run, polls closed at the same logical times', async () => {
  const live = await run('live');
  const replay = await run('replay');
  const a = readTree(live);
  const b = readTree(replay);
  for (const file of ENGAGEMENT_FILES) expect(b[file], file).toBe(a[file]);

  expect(readExport<{ polls: unknown[] }>(replay, 'runtime/exports/polls.json').polls).toEqual([
    {
      id: 'poll-2',
      creator: 'alice',
      question: 'Last?',
      status: 'closed',
      options: [{ label: 'p', votes: 0 }, { label: 'q', votes: 1 }],
      openedAt: '2026-11-27T20:00:50.000Z',
      closedAt: '2026-11-27T20:01:00.000Z',
    },
    {
      id: 'poll-1',
      creator: 'alice',
      question: 'First?',
      status: 'closed',
      options: [{ label: 'a', votes: 0 }, { label: 'b', votes: 1 }, { label: 'c', votes: 1 }],
      openedAt: '2026-11-27T20:00:00.000Z',
      closedAt: '2026-11-27T20:00:30.000Z',
    },
  ]);
  expect(readExport(replay, 'runtime/exports/tallies.json').tallies).toContainEqual({ id: 'deaths', creator: 'alice', name: 'Deaths', counts: [{ label: 'total', count: 1 }] });
  expect(readExport(replay, 'runtime/exports/scoreboards.json').scoreboards).toEqual([
    { id: 'points', creator: 'alice', name: 'Points', entries: [{ rank: 1, label: 'Viewer5', score: 1 }] },
  ]);
});
