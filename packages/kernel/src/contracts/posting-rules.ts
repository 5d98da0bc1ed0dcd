import { Type, type Static } from 'typebox';
import { defineManifestSection } from './sections.js';

/**
 * Posting rules: which of a creator's events are posted where (Discord, X,
 * ...), with which text, and how often at most. Platform-neutral: a target
 * is the id of the plugin that posts (`discord`, `x`); each posting plugin
 * reads the rules for its own id with `postingRuleFor()`. The section
 * lives here, not in a plugin, so the plugin that claims it (the defaults'
 * `limits` plugin) and the plugins that read it need not import each other.
 */

const TargetId = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 40, description: 'The id of a posting plugin: discord, x ...' });

const PostingEventRuleSchema = Type.Object(
  {
    /**
     * The targets this event is posted to; a target not listed posts
     * nothing for it. Absent: each target does what its own config says.
     */
    to: Type.Optional(Type.Array(TargetId, { uniqueItems: true, maxItems: 20, description: 'Targets that post this event (others do not). Absent: each target\'s own setting.' })),
    /** The text, with the event's placeholders (the posting plugin's README lists them); absent: the target's own template. */
    template: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Text of the post; placeholders such as {creator} are filled in by the target.' })),
    /** A text per target, over `template`. */
    templates: Type.Optional(
      Type.Record(TargetId, Type.String({ minLength: 1, maxLength: 2000, description: "This target's text, with its placeholders." }), { description: 'Text per target, over "template".' }),
    ),
    /** At least this many seconds between two posts of this event of the creator, per target (kept across restarts). */
    minIntervalSec: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 24 * 3600, description: 'Minimum seconds between two posts of this event, per target.' })),
  },
  { additionalProperties: false },
);
/** The rule of one event, saying which. */
const eventRule = (description: string) => Type.Object(PostingEventRuleSchema.properties, { additionalProperties: false, description });

/** The events a posting plugin may post. */
export const POSTING_EVENTS = ['stream.online', 'stream.offline', 'clip.published'] as const;
export type PostingEvent = (typeof POSTING_EVENTS)[number];

export const PostingRulesSchema = Type.Object(
  {
    events: Type.Object(
      {
        'stream.online': Type.Optional(eventRule('A stream went live: the go-live post.')),
        'stream.offline': Type.Optional(eventRule('The stream ended (Discord edits its go-live post rather than posting anew).')),
        'clip.published': Type.Optional(eventRule('A clip was published.')),
      },
      {
        additionalProperties: false,
        default: {},
        description: "The rule of each event. A creator's rule for an event replaces the top-level one for that event as a whole.",
      },
    ),
  },
  { additionalProperties: false, description: 'Which events are posted where, with which text, how often at most.' },
);

export type PostingRules = Static<typeof PostingRulesSchema>;
export type PostingEventRule = Static<typeof PostingEventRuleSchema>;

/** `creators.<id>.postingRules`: this creator's rules, event by event over the top-level ones. */
export const postingRulesSection = defineManifestSection({ key: 'postingRules', scope: 'creator', schema: PostingRulesSchema });
/** Top-level `postingRules`: the rules of every creator that does not set an event itself. */
export const defaultPostingRulesSection = defineManifestSection({ key: 'postingRules', scope: 'manifest', schema: PostingRulesSchema });

/** What one target does with one event of one creator. */
export interface PostingDecision {
  /** true / false when a rule names the event (listed in `to` or not); undefined: the target's own setting. */
  post: boolean | undefined;
  template?: string;
  minIntervalSec?: number;
}

type WithSections = { sections: Readonly<Record<string, unknown>> };

/**
 * The rule for `event` posted by `target`: the creator's rule for the event
 * if it has one, else the top-level one (a whole event rule replaces the
 * default's, keys are not merged one by one).
 */
export function postingRuleFor(creator: WithSections | undefined, manifest: WithSections | undefined, event: PostingEvent, target: string): PostingDecision {
  const rule =
    (creator === undefined ? undefined : postingRulesSection.read(creator)?.events[event]) ??
    (manifest === undefined ? undefined : defaultPostingRulesSection.read(manifest)?.events[event]);
  if (rule === undefined) return { post: undefined };
  const template = rule.templates?.[target] ?? rule.template;
  return {
    post: rule.to === undefined ? undefined : rule.to.includes(target),
    ...(template === undefined ? {} : { template }),
    ...(rule.minIntervalSec === undefined ? {} : { minIntervalSec: rule.minIntervalSec }),
  };
}
