import { Type, type EventName, type Kernel, type TSchema } from '@streamsuites/kernel';
import type { ExportSection, Visibility } from '@streamsuites/plugin-exports';
import { engagementRef, type Engagement } from './engagement.js';
import { compareText } from './labels.js';
import type { PollRecord } from './polls.js';

/**
 * The six files the exports plugin keeps as placeholders until this plugin
 * contributes them. File, schema name, visibility, description and body
 * shape are exactly the placeholders' (plugin-exports FILES.md and
 * schemas/), so the published JSON Schemas stay valid. Every order is
 * fixed and every time comes from the kernel clock, so the same state gives
 * the same bytes.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const Iso = Type.String({ format: 'date-time' });

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
const SignalEvent = (fields: Record<string, TSchema>) => Type.Object({ at: Iso, creator: Type.String(), ...fields });

export const pollsBodySchema = Type.Object({ polls: Type.Array(Poll) });
export const talliesBodySchema = Type.Object({ tallies: Type.Array(Tally) });
export const scoreboardsBodySchema = Type.Object({ scoreboards: Type.Array(Scoreboard) });
export const pollVotesBodySchema = Type.Object({ events: Type.Array(SignalEvent({ pollId: Type.String(), option: Type.String() })) });
export const tallyEventsBodySchema = Type.Object({ events: Type.Array(SignalEvent({ tallyId: Type.String(), label: Type.String(), delta: Type.Number() })) });
export const scoreEventsBodySchema = Type.Object({ events: Type.Array(SignalEvent({ scoreboardId: Type.String(), label: Type.String(), delta: Type.Number() })) });

/** `polls`: every running creator's open and kept polls, newest first (opening time, then creator, then sequence). */
export function pollsBody(engagement: Engagement) {
  const rows = engagement.creators().flatMap((creator) => engagement.polls(creator).map((poll) => ({ creator, poll })));
  rows.sort((a, b) => b.poll.openedAt - a.poll.openedAt || compareText(a.creator, b.creator) || b.poll.seq - a.poll.seq);
  return { polls: rows.map(({ creator, poll }) => pollRow(creator, poll)) };
}

function pollRow(creator: string, poll: PollRecord) {
  return {
    id: poll.id,
    creator,
    question: poll.question,
    status: poll.status,
    options: poll.options.map((label, index) => ({ label, votes: poll.counts[index] ?? 0 })),
    openedAt: iso(poll.openedAt),
    ...(poll.closedAt === undefined ? {} : { closedAt: iso(poll.closedAt) }),
  };
}

/** `tallies`: by creator, then tally id; counts by label. */
export function talliesBody(engagement: Engagement) {
  return {
    tallies: engagement.creators().flatMap((creator) => engagement.tallies(creator).map((tally) => ({ id: tally.id, creator, name: tally.name, counts: tally.counts }))),
  };
}

/** `scoreboards`: by creator, then scoreboard id; the best `maxEntries` entries, by score then label. */
export function scoreboardsBody(engagement: Engagement) {
  return {
    scoreboards: engagement
      .creators()
      .flatMap((creator) =>
        engagement.scoreboards(creator).map((board) => ({ id: board.id, creator, name: board.name, entries: board.entries.slice(0, board.maxEntries) })),
      ),
  };
}

export function pollVotesBody(engagement: Engagement) {
  return { events: engagement.signals.votes.list((c) => engagement.has(c)).map((e) => ({ ...e, at: iso(e.at) })) };
}

export function tallyEventsBody(engagement: Engagement) {
  return { events: engagement.signals.tallies.list((c) => engagement.has(c)).map((e) => ({ ...e, at: iso(e.at) })) };
}

export function scoreEventsBody(engagement: Engagement) {
  return { events: engagement.signals.scores.list((c) => engagement.has(c)).map((e) => ({ ...e, at: iso(e.at) })) };
}

function section(
  file: string,
  visibility: Visibility,
  description: string,
  bodySchema: TSchema,
  body: (engagement: Engagement) => unknown,
  watch: readonly EventName[],
): ExportSection<unknown> {
  const name = file.replace(/^.*\//u, '').replace(/\.json$/u, '');
  return {
    file,
    schema: `streamsuites.${name}`,
    version: 1,
    visibility,
    description,
    bodySchema,
    snapshot: ({ kernel }: { kernel: Kernel }) => body(kernel.resolve(engagementRef)),
    watch,
  };
}

const pollEvents: EventName[] = ['poll.opened', 'poll.vote', 'poll.closed', 'kernel.creator.added', 'kernel.creator.removed'];

/** The sections contributed through `exportsExtensionPoint`. */
export const engagementSections: readonly ExportSection<unknown>[] = [
  section('runtime/exports/polls.json', 'public', 'Poll questions and aggregated votes, no voter identifiers.', pollsBodySchema, pollsBody, pollEvents),
  section('runtime/exports/tallies.json', 'public', 'Aggregate tally counts only.', talliesBodySchema, talliesBody, ['tally.changed', 'kernel.creator.added', 'kernel.creator.removed']),
  section('runtime/exports/scoreboards.json', 'public', 'Ranked scoreboard entries with scores.', scoreboardsBodySchema, scoreboardsBody, ['score.changed', 'kernel.creator.added', 'kernel.creator.removed']),
  section('runtime/signals/poll_votes.json', 'dashboard-only', 'Individual poll votes without personal data.', pollVotesBodySchema, pollVotesBody, ['poll.vote']),
  section('runtime/signals/tally_events.json', 'dashboard-only', 'Increments of tallies.', tallyEventsBodySchema, tallyEventsBody, ['tally.changed']),
  section('runtime/signals/score_events.json', 'dashboard-only', 'Score adjustments feeding scoreboards.', scoreEventsBodySchema, scoreEventsBody, ['score.changed']),
];
