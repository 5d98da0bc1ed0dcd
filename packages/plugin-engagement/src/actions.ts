import { Type, type ActionDispatcher, type ActionType, type Static } from '@streamsuites/kernel';
import type { Engagement } from './engagement.js';

/**
 * The action types the plugin offers. Params are checked against these
 * schemas when the manifest loads (templated strings such as "{arg1}" are
 * checked after templating, when the trigger fires); numbers may come from
 * templates ("{arg1}" → 5). Ids and labels are checked again by the handler
 * against the creator's config, with coded errors.
 */
export const pollOpenParamsSchema = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: 300 }),
    /** 2 to `polls.maxOptions` labels; empty ones (an absent "{arg4}") are dropped. */
    options: Type.Array(Type.String({ maxLength: 1000 }), { minItems: 2, maxItems: 25 }),
    /** Close by itself after this many seconds (kernel clock). */
    durationSec: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);

export const pollCloseParamsSchema = Type.Object({}, { additionalProperties: false });

export const tallyAddParamsSchema = Type.Object(
  {
    /** Tally id from the creator's config. */
    tally: Type.String({ minLength: 1, maxLength: 64 }),
    label: Type.String({ minLength: 1, maxLength: 1000 }),
    delta: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, default: 1 }),
  },
  { additionalProperties: false },
);

export const scoreAddParamsSchema = Type.Object(
  {
    /** Scoreboard id from the creator's config. */
    scoreboard: Type.String({ minLength: 1, maxLength: 64 }),
    label: Type.String({ minLength: 1, maxLength: 1000 }),
    delta: Type.Number({ minimum: -1_000_000_000, maximum: 1_000_000_000, default: 1 }),
  },
  { additionalProperties: false },
);

export type PollOpenParams = Static<typeof pollOpenParamsSchema>;
export type PollCloseParams = Static<typeof pollCloseParamsSchema>;
export type TallyAddParams = Static<typeof tallyAddParamsSchema>;
export type ScoreAddParams = Static<typeof scoreAddParamsSchema>;

/**
 * `effects: 'internal'`: these actions only change StreamSuites' own state,
 * so they also run in dry-run and replays (the exports show the outcome).
 */
export const engagementActionTypes: readonly ActionType[] = [
  { type: 'poll.open', effects: 'internal', paramsSchema: pollOpenParamsSchema, description: "Open a poll in the creator's chat." },
  { type: 'poll.close', effects: 'internal', paramsSchema: pollCloseParamsSchema, description: "Close the creator's open poll." },
  { type: 'tally.add', effects: 'internal', paramsSchema: tallyAddParamsSchema, description: 'Add to a label of a tally.' },
  { type: 'score.add', effects: 'internal', paramsSchema: scoreAddParamsSchema, description: 'Add to a label of a scoreboard.' },
];

/** Registers the handlers of the four action types; returns a function that removes them. */
export function registerActionHandlers(dispatcher: ActionDispatcher, engagement: Engagement): () => void {
  const off = [
    dispatcher.registerHandler<PollOpenParams>({ type: 'poll.open', handle: (params, ctx) => engagement.openPoll(ctx.creatorId, params) }),
    dispatcher.registerHandler<PollCloseParams>({ type: 'poll.close', handle: (_params, ctx) => engagement.closePoll(ctx.creatorId) }),
    dispatcher.registerHandler<TallyAddParams>({ type: 'tally.add', handle: (params, ctx) => engagement.addToTally(ctx.creatorId, params) }),
    dispatcher.registerHandler<ScoreAddParams>({ type: 'score.add', handle: (params, ctx) => engagement.addToScore(ctx.creatorId, params) }),
  ];
  return () => {
    for (const remove of off) remove();
  };
}
