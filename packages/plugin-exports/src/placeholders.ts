/**
 * Public placeholders, replaced by the plugins that own the data: clips,
 * polls, tallies, scoreboards and their signals exist from day one with an
 * empty body, and their owners take the fixed parts with `reservedSection`.
 */
import { Type } from '@streamsuites/kernel';
import type { ExportSection } from './contract.js';
import { Iso, section, SignalEvent } from './section.js';

const Clip = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  title: Type.String(),
  platform: Type.String(),
  state: Type.String(),
  durationSec: Type.Number({ minimum: 0 }),
  /** The clip's public http(s) URL; never a local path or file: URL (public file). */
  url: Type.Optional(Type.String({ pattern: '^https?://' })),
  createdAt: Iso,
  publishedAt: Type.Optional(Iso),
});
const Poll = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  question: Type.String(),
  status: Type.String(),
  options: Type.Array(Type.Object({ label: Type.String(), votes: Type.Integer({ minimum: 0 }) })),
  openedAt: Iso,
  closedAt: Type.Optional(Iso),
});
const Tally = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  name: Type.String(),
  counts: Type.Array(Type.Object({ label: Type.String(), count: Type.Integer() })),
});
const Scoreboard = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  name: Type.String(),
  entries: Type.Array(Type.Object({ rank: Type.Integer({ minimum: 1 }), label: Type.String(), score: Type.Number() })),
});

/** Files that exist from day one with an empty body until their owning plugin contributes them. */
export const placeholderSections: ExportSection<unknown>[] = [
  section('runtime/exports/clips.json', 'public', 'Published clips, safe for public galleries.', Type.Object({ clips: Type.Array(Clip) }), () => ({ clips: [] })),
  section('runtime/exports/polls.json', 'public', 'Poll questions and aggregated votes, no voter identifiers.', Type.Object({ polls: Type.Array(Poll) }), () => ({ polls: [] })),
  section('runtime/exports/tallies.json', 'public', 'Aggregate tally counts only.', Type.Object({ tallies: Type.Array(Tally) }), () => ({ tallies: [] })),
  section('runtime/exports/scoreboards.json', 'public', 'Ranked scoreboard entries with scores.', Type.Object({ scoreboards: Type.Array(Scoreboard) }), () => ({ scoreboards: [] })),
  section('runtime/signals/poll_votes.json', 'dashboard-only', 'Individual poll votes without personal data.', Type.Object({ events: Type.Array(SignalEvent({ pollId: Type.String(), option: Type.String() })) }), () => ({ events: [] })),
  section('runtime/signals/tally_events.json', 'dashboard-only', 'Increments of tallies.', Type.Object({ events: Type.Array(SignalEvent({ tallyId: Type.String(), label: Type.String(), delta: Type.Number() })) }), () => ({ events: [] })),
  section('runtime/signals/score_events.json', 'dashboard-only', 'Score adjustments feeding scoreboards.', Type.Object({ events: Type.Array(SignalEvent({ scoreboardId: Type.String(), label: Type.String(), delta: Type.Number() })) }), () => ({ events: [] })),
];

/** The files reserved for other plugins (clips, polls, tallies, scoreboards and their signals). */
export type ReservedFile =
  | 'runtime/exports/clips.json'
  | 'runtime/exports/polls.json'
  | 'runtime/exports/tallies.json'
  | 'runtime/exports/scoreboards.json'
  | 'runtime/signals/poll_votes.json'
  | 'runtime/signals/tally_events.json'
  | 'runtime/signals/score_events.json';

/**
 * A reserved file's fixed parts — schema name, version, visibility,
 * description and body schema, exactly as FILES.md and `schemas/` publish
 * them — for the plugin that owns the data to add `snapshot` and `watch`:
 * `{ ...reservedSection('runtime/exports/polls.json'), snapshot, watch }`.
 */
export function reservedSection(file: ReservedFile): Omit<ExportSection<unknown>, 'snapshot' | 'watch'> {
  const found = placeholderSections.find((s) => s.file === file);
  if (found === undefined) throw new TypeError(`"${file}" is not a reserved export file`);
  const { snapshot: _snapshot, watch: _watch, ...fixed } = found;
  return fixed;
}
