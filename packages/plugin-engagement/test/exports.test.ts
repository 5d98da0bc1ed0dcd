import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { schemaProblems, type TSchema } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { act, ENGAGEMENT_FILES, message, mod, readExport, readTree, say, startEngagement, TestClock, viewer } from './helpers.js';

/** The JSON Schemas plugin-exports publishes (its package ships `schemas/`). */
const schemasDir = join(dirname(createRequire(import.meta.url).resolve('@streamsuites/plugin-exports/package.json')), 'schemas');
const publishedSchema = (file: string) => JSON.parse(readFileSync(join(schemasDir, file.replace(/\.json$/u, '.schema.json')), 'utf8')) as TSchema;

/** One scripted session: polls (one closed by duration), tallies and scores, on a virtual clock. */
async function session() {
  const clock = new TestClock();
  const run = await startEngagement({ clock });
  const { t } = run;
  await act(t, message('alice', '!quickpoll "Map?" Dust Inferno', mod));
  for (let n = 1; n <= 5; n += 1) {
    clock.advance(1000);
    say(t, message('alice', `!vote ${n % 2 === 0 ? 'inferno' : '1'}`, viewer(n)));
  }
  clock.advance(30_000);
  say(t, message('alice', 'time is up', viewer(1)));
  await act(t, message('alice', '!poll "Encore?" yes no', mod));
  say(t, message('alice', '!vote yes', viewer(2)));
  await run.engagement.openPoll('bob', { question: 'Bob asks', options: ['x', 'y'] });
  say(t, message('bob', '!vote y', viewer(3)));
  await act(t, message('alice', '!death', viewer(1)));
  await act(t, message('alice', '!mood calm', viewer(2)));
  await act(t, message('alice', '!point', viewer(3)));
  await act(t, message('alice', '!point', viewer(4)));
  await t.stop();
  return run;
}

describe('exported files', () => {
  it('replace the placeholders, carry the meta block and validate against the published plugin-exports schemas', async () => {
    const { root } = await session();
    const tree = readTree(root);
    for (const file of ENGAGEMENT_FILES) {
      const json = JSON.parse(tree[file]!) as { meta: Record<string, unknown> };
      expect(json.meta, file).toEqual({
        schema: `streamsuites.${file.replace(/^.*\//u, '').replace('.json', '')}`,
        version: 1,
        generatedAt: '2026-11-27T20:00:35.000Z',
        source: 'streamsuites-runtime',
        visibility: file.startsWith('runtime/exports/') ? 'public' : 'dashboard-only',
      });
      expect(schemaProblems(publishedSchema(file), json), file).toEqual([]);
    }
    // Not placeholders: every file has content.
    expect(readExport<{ polls: unknown[] }>(root, 'runtime/exports/polls.json').polls).toHaveLength(3);
    expect(readExport<{ events: unknown[] }>(root, 'runtime/signals/poll_votes.json').events).toHaveLength(7);
    expect(readExport<{ events: unknown[] }>(root, 'runtime/signals/tally_events.json').events).toHaveLength(2);
    expect(readExport<{ events: unknown[] }>(root, 'runtime/signals/score_events.json').events).toHaveLength(2);
    // And the schemas do reject a wrong body.
    expect(schemaProblems(publishedSchema('runtime/exports/polls.json'), { meta: JSON.parse(tree['runtime/exports/polls.json']!).meta, polls: [{ id: 1 }] })).not.toEqual([]);
    // meta.json lists our files with the same descriptions as the placeholders.
    const meta = readExport<{ files: { path: string; description: string }[] }>(root, 'runtime/exports/meta.json');
    expect(meta.files.find((f) => f.path === 'runtime/exports/polls.json')?.description).toBe('Poll questions and aggregated votes, no voter identifiers.');
  });

  it('polls are newest first across creators; public files carry no user identifiers', async () => {
    const { root } = await session();
    const polls = readExport<{ polls: { id: string; creator: string; status: string; openedAt: string; closedAt?: string }[] }>(root, 'runtime/exports/polls.json').polls;
    expect(polls.map((p) => [p.creator, p.id, p.status, p.openedAt, p.closedAt])).toEqual([
      ['alice', 'poll-2', 'open', '2026-11-27T20:00:35.000Z', undefined],
      ['bob', 'poll-1', 'open', '2026-11-27T20:00:35.000Z', undefined],
      ['alice', 'poll-1', 'closed', '2026-11-27T20:00:00.000Z', '2026-11-27T20:00:30.000Z'],
    ]);
    for (const [file, text] of Object.entries(readTree(root))) {
      if (!file.startsWith('runtime/exports/') && !ENGAGEMENT_FILES.includes(file)) continue;
      // Scoreboard labels are what the trigger chose ("{user}" display names); ids and logins never appear.
      expect(text, file).not.toMatch(/uid-\d|viewer_\d|mod_login|uid-mod/u);
    }
  });

  it('the same events on the same virtual clock give byte-identical files (replays agree)', async () => {
    const a = readTree((await session()).root);
    const b = readTree((await session()).root);
    for (const file of ENGAGEMENT_FILES) expect(b[file], file).toBe(a[file]);
  });
});
