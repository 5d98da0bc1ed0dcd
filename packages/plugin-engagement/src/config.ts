import { Type, type Static } from '@streamsuites/kernel';

/** Tally and scoreboard ids: path-safe, like creator ids. */
export const ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
/** Longest label (tally label, score label, poll option), after trimming. */
export const MAX_LABEL_LENGTH = 100;
/** Distinct labels an open tally (no `labels` list) accepts. */
export const MAX_FREE_TALLY_LABELS = 100;
/** Distinct entries a scoreboard keeps (only `maxEntries` of them are exported). */
export const MAX_SCOREBOARD_ENTRIES = 10_000;

const Id = Type.String({ pattern: ID_PATTERN });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Label = Type.String({ minLength: 1, maxLength: MAX_LABEL_LENGTH });

/** Plugin-wide settings (`plugins.engagement.config`). */
export const configSchema = Type.Object(
  {
    /** Events kept in each signals file (poll votes, tally and score events), newest last. */
    signalsWindow: Type.Integer({ minimum: 1, maximum: 100_000, default: 500 }),
  },
  { additionalProperties: false },
);

export const tallyConfigSchema = Type.Object(
  {
    id: Id,
    name: Name,
    /** When set, only these labels count (case-insensitive); otherwise any label, at most 100 distinct. */
    labels: Type.Optional(Type.Array(Label, { minItems: 1, maxItems: MAX_FREE_TALLY_LABELS })),
  },
  { additionalProperties: false },
);

export const scoreboardConfigSchema = Type.Object(
  {
    id: Id,
    name: Name,
    /** Entries shown in the exports (the best ones). */
    maxEntries: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  },
  { additionalProperties: false },
);

export const pollsConfigSchema = Type.Object(
  {
    /** First word of a vote: `!vote 2` or `!vote pizza`. Case-insensitive. */
    voteCommand: Type.String({ pattern: '^\\S{1,32}$', default: '!vote' }),
    /** A voter may change their vote while the poll is open; otherwise the first vote stands. */
    allowChangeVote: Type.Boolean({ default: true }),
    /** Most options a poll may have. */
    maxOptions: Type.Integer({ minimum: 2, maximum: 25, default: 10 }),
    /** Closed polls kept (and exported) per creator, newest first. */
    history: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    /**
     * A `poll.open` while a poll is open: `replace` closes the open one first
     * (reason `replaced`, results kept) and opens the new one; `refuse` fails
     * the action with SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN.
     */
    onOpenWhileOpen: Type.Optional(Type.Union([Type.Literal('replace'), Type.Literal('refuse')], { default: 'replace' })),
    /**
     * An open poll without a `durationSec` restored from the state store when
     * the creator starts (an earlier run stopped while it was open): `false`
     * closes it (reason `restart`, results kept); `true` keeps it open with its
     * ballots. A poll with a duration always runs to its deadline.
     */
    resumeOnRestart: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false, default: {} },
);

/** Per creator (`creators.<id>.config.engagement`). */
export const creatorConfigSchema = Type.Object(
  {
    tallies: Type.Array(tallyConfigSchema, { maxItems: 100, default: [] }),
    scoreboards: Type.Array(scoreboardConfigSchema, { maxItems: 100, default: [] }),
    polls: pollsConfigSchema,
  },
  { additionalProperties: false },
);

export type EngagementConfig = Static<typeof configSchema>;
export type EngagementCreatorConfig = Static<typeof creatorConfigSchema>;
export type TallyConfig = Static<typeof tallyConfigSchema>;
export type ScoreboardConfig = Static<typeof scoreboardConfigSchema>;
export type PollsConfig = Static<typeof pollsConfigSchema>;
