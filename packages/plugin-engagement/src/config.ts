import { Type, type Static } from '@streamsuites/kernel';

/** Tally and scoreboard ids: path-safe, like creator ids. */
export const ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
/** Longest label (tally label, score label, poll option), after trimming. */
export const MAX_LABEL_LENGTH = 100;
/** Distinct labels an open tally (no `labels` list) accepts. */
export const MAX_FREE_TALLY_LABELS = 100;
/** Distinct entries a scoreboard keeps (only `maxEntries` of them are exported). */
export const MAX_SCOREBOARD_ENTRIES = 10_000;

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 100, description });
const Label = Type.String({ minLength: 1, maxLength: MAX_LABEL_LENGTH });

/** Plugin-wide settings (`plugins.engagement.config`). */
export const configSchema = Type.Object(
  {
    signalsWindow: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      default: 500,
      description: 'Events kept in each signals file (poll votes, tally and score events), newest last.',
    }),
  },
  { additionalProperties: false, description: 'Plugin-wide engagement settings.' },
);

export const tallyConfigSchema = Type.Object(
  {
    id: Id('The tally id, named by `tally.add`; path-safe like a creator id, unique among the tallies.'),
    name: Name('The tally name shown in the exports.'),
    labels: Type.Optional(
      Type.Array(Label, {
        minItems: 1,
        maxItems: MAX_FREE_TALLY_LABELS,
        description: 'When set, only these labels count (case-insensitive) and each is shown, 0 included. Absent: any label counts, at most 100 distinct.',
      }),
    ),
  },
  { additionalProperties: false, description: 'One tally: counts per label.' },
);

export const scoreboardConfigSchema = Type.Object(
  {
    id: Id('The scoreboard id, named by `score.add`; path-safe like a creator id, unique among the scoreboards.'),
    name: Name('The scoreboard name shown in the exports.'),
    maxEntries: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 10,
      description: 'Entries shown in the exports (the best ones); up to 10,000 are kept.',
    }),
  },
  { additionalProperties: false, description: 'One scoreboard: a score per label, ranked.' },
);

export const pollsConfigSchema = Type.Object(
  {
    voteCommand: Type.String({
      pattern: '^\\S{1,32}$',
      default: '!vote',
      description: 'First word of a vote, case-insensitive: `!vote 2` or `!vote pizza`.',
    }),
    allowChangeVote: Type.Boolean({
      default: true,
      description: 'A voter may change their vote while the poll is open; false: the first vote stands.',
    }),
    maxOptions: Type.Integer({ minimum: 2, maximum: 25, default: 10, description: 'Most options a poll may have.' }),
    history: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Closed polls kept (and exported) per creator, newest first.' }),
    onOpenWhileOpen: Type.Optional(
      Type.Union([Type.Literal('replace'), Type.Literal('refuse')], {
        default: 'replace',
        description:
          'A `poll.open` while a poll is open: `replace` closes the open one first (reason `replaced`, results kept) and opens the new one; `refuse` fails the action with SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN.',
      }),
    ),
    resumeOnRestart: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'An open poll without a `durationSec` left by an earlier run: false closes it when the creator starts (reason `restart`, results kept); true keeps it open with its ballots. A poll with a duration always runs to its deadline.',
      }),
    ),
  },
  { additionalProperties: false, default: {}, description: "How the creator's polls take votes and what happens to them." },
);

/** Per creator (`creators.<id>.config.engagement`). */
export const creatorConfigSchema = Type.Object(
  {
    tallies: Type.Array(tallyConfigSchema, { maxItems: 100, default: [], description: "The creator's tallies, added to with the `tally.add` action." }),
    scoreboards: Type.Array(scoreboardConfigSchema, {
      maxItems: 100,
      default: [],
      description: "The creator's scoreboards, added to with the `score.add` action.",
    }),
    polls: pollsConfigSchema,
  },
  { additionalProperties: false, description: "One creator's tallies, scoreboards and poll settings." },
);

export type EngagementConfig = Static<typeof configSchema>;
export type EngagementCreatorConfig = Static<typeof creatorConfigSchema>;
export type TallyConfig = Static<typeof tallyConfigSchema>;
export type ScoreboardConfig = Static<typeof scoreboardConfigSchema>;
export type PollsConfig = Static<typeof pollsConfigSchema>;
