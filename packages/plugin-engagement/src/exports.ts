import { reservedSection, type EventName, type ExportSection, type Kernel, type ReservedFile } from '@streamsuites/kernel';
import { engagementRef, type Engagement } from './engagement.js';
import { compareText } from './labels.js';
import type { PollRecord } from './polls.js';

/**
 * The six files the exports plugin keeps as placeholders until this plugin
 * contributes them. File, schema name, visibility, description and body
 * shape are the kernel's reserved ones (`reservedSection`, published in
 * plugin-exports FILES.md and schemas/), so the published JSON Schemas stay
 * valid, and this plugin needs no dependency on plugin-exports. Every order is
 * fixed and every time comes from the kernel clock, so the same state gives
 * the same bytes.
 */

const iso = (ms: number) => new Date(ms).toISOString();

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

function section(file: ReservedFile, body: (engagement: Engagement) => unknown, watch: readonly EventName[]): ExportSection<unknown> {
  return { ...reservedSection(file), snapshot: ({ kernel }: { kernel: Kernel }) => body(kernel.resolve(engagementRef)), watch };
}

const pollEvents: EventName[] = ['poll.opened', 'poll.vote', 'poll.closed', 'kernel.creator.added', 'kernel.creator.removed'];

/** The sections contributed through `exportsExtensionPoint`. */
export const engagementSections: readonly ExportSection<unknown>[] = [
  section('runtime/exports/polls.json', pollsBody, pollEvents),
  section('runtime/exports/tallies.json', talliesBody, ['tally.changed', 'kernel.creator.added', 'kernel.creator.removed']),
  section('runtime/exports/scoreboards.json', scoreboardsBody, ['score.changed', 'kernel.creator.added', 'kernel.creator.removed']),
  section('runtime/signals/poll_votes.json', pollVotesBody, ['poll.vote']),
  section('runtime/signals/tally_events.json', tallyEventsBody, ['tally.changed']),
  section('runtime/signals/score_events.json', scoreEventsBody, ['score.changed']),
];
