import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestKernel } from '@streamsuites/testing';
import exportsPlugin from '@streamsuites/plugin-exports';
import { expect, it } from 'vitest';
import engagementPlugin from '../src/index.js';
import { act, message, mod, readExport, say, T0, tempDir, TestClock, viewer } from './helpers.js';

/** The Quick start manifest of the README, without Twitch (chat comes from the test). */
function readmeManifest(dataDir: string) {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const json = /```json\n([\s\S]*?)\n```/u.exec(readme)![1]!;
  const manifest = JSON.parse(json) as {
    dataDir?: string;
    plugins: Record<string, { package: string; config?: unknown }>;
    creators: Record<string, { enable: string[]; config: Record<string, unknown> }>;
  };
  delete manifest.plugins.twitch;
  const daniel = manifest.creators.daniel!;
  daniel.enable = daniel.enable.filter((id) => id !== 'twitch');
  delete daniel.config.twitch;
  manifest.plugins.exports = { ...manifest.plugins.exports!, config: { mirror: false } };
  return { ...manifest, dataDir };
}

it('the README quick start works as described', async () => {
  const dataDir = tempDir();
  const clock = new TestClock();
  const t = await startTestKernel({ plugins: [exportsPlugin, engagementPlugin], clock, manifest: readmeManifest(dataDir) });
  try {
    expect((await act(t, message('daniel', '!poll "Next map?" Dust Inferno Mirage', mod))).event).toBe('action.dispatched');
    say(t, message('daniel', '!vote 2', viewer(1)));
    say(t, message('daniel', '!vote mirage', viewer(2)));
    say(t, message('daniel', '!vote Mirage', viewer(3)));
    clock.advance(120_000);
    say(t, message('daniel', 'what won?', viewer(4)));
    expect(t.events.of('poll.closed')).toMatchObject([{ reason: 'duration', winners: ['Mirage'], closedAt: T0 + 120_000 }]);
    for (const text of ['!death', '!mood hype']) await act(t, message('daniel', text, mod));
    await act(t, message('daniel', '!point', viewer(1)));
    await act(t, message('daniel', '!give Daniel 5', mod));
  } finally {
    await t.stop();
  }
  const root = join(dataDir, 'state');
  expect(readExport(root, 'runtime/exports/polls.json').polls).toMatchObject([
    { question: 'Next map?', status: 'closed', options: [{ label: 'Dust', votes: 0 }, { label: 'Inferno', votes: 1 }, { label: 'Mirage', votes: 2 }] },
  ]);
  expect(readExport(root, 'runtime/exports/tallies.json').tallies).toEqual([
    { id: 'deaths', creator: 'daniel', name: 'Deaths', counts: [{ label: 'total', count: 1 }] },
    { id: 'mood', creator: 'daniel', name: 'Chat mood', counts: [{ label: 'Chill', count: 0 }, { label: 'Hype', count: 1 }] },
  ]);
  expect(readExport(root, 'runtime/exports/scoreboards.json').scoreboards).toEqual([
    { id: 'points', creator: 'daniel', name: 'Points', entries: [{ rank: 1, label: 'Daniel', score: 5 }, { rank: 2, label: 'Viewer1', score: 1 }] },
  ]);
});
