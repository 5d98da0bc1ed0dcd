import type { Static, TSchema } from 'typebox';
import type { SerializedError } from '../coded-error.js';
import { createExtensionPoint, type ExtensionPoint } from '../extension-point.js';
import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';
import type { ActionDescriptor } from './actions.js';
import type { ChatMessage, ChatRole, Platform } from './chat.js';

/** Durations such as `"30s"`, `"5m"`, `"1h"`, `"250ms"`. */
export type DurationString = `${number}${'ms' | 's' | 'm' | 'h'}`;

export interface TriggerCooldown {
  /** Per user, per trigger. */
  user?: DurationString;
  /** Per creator, per trigger. */
  creator?: DurationString;
  /** Across all creators of the process, per trigger id. */
  global?: DurationString;
}

/** A chat trigger as written in the manifest (`creators.<id>.triggers`) or added at runtime. */
export interface TriggerDefinition {
  /**
   * Stable id. When omitted it is derived from type + params, so the same
   * trigger keeps its cooldowns across restarts and shares a global cooldown
   * with identical triggers of other creators.
   */
  id?: string;
  /** `command`, `keyword`, `regex`, or a type added through `triggerTypesExtensionPoint`. */
  type: string;
  /**
   * The type's params. May be left out when the type's schema accepts `{}`
   * (every property optional or with a default); defaults are filled in.
   */
  params?: Record<string, unknown>;
  /** Only messages from these platforms. */
  platforms?: Platform[];
  /** Only authors with at least one of these roles (the broadcaster always passes). */
  roles?: ChatRole[];
  /** Only messages carrying at least this monetary amount (micros). */
  minAmountMicros?: number;
  cooldown?: TriggerCooldown;
  actions: ActionDescriptor[];
  enabled?: boolean;
}

/**
 * What the registry indexes a trigger under, so it never tests every trigger
 * per message. All keys are lowercase. A trigger with no keys is checked on
 * every message (fine for a handful of exotic triggers, not for thousands).
 */
export interface TriggerIndexKeys {
  /** The message's first whitespace-separated token, lowercased, must equal one of these. */
  firstTokens?: readonly string[];
  /** The lowercased message text must contain one of these substrings (one automaton for all). */
  substrings?: readonly string[];
}

/**
 * A trigger type. The built-in `command`, `keyword` and `regex` are
 * registered through the same extension point as third-party types. Write
 * one with {@link defineTriggerType}, which infers `P` from `paramsSchema`
 * and `S` from `compile`.
 */
export interface TriggerType<P = Record<string, unknown>, S = P> {
  /** Id used as `type` in trigger definitions (`command`, `emoteCombo`). */
  type: string;
  /** typebox (JSON Schema) of `params`, checked when triggers load; its `default`s are filled in. */
  paramsSchema: TSchema;
  /**
   * Prepares params once at load (compile regexes, normalize words). Throw a
   * StreamSuitesError for params the schema cannot express as invalid.
   * Defaults to the params themselves. Each trigger of each creator gets its
   * own state, so a type may keep per-trigger memory in it (see `emoteCombo`
   * in examples/custom-trigger).
   */
  compile?(params: P): S;
  /** Index keys for the prepared trigger; omit to be checked on every message. */
  index?(state: S): TriggerIndexKeys;
  /**
   * Confirms a candidate. Returns the positional arguments on a match,
   * undefined otherwise. The pipeline calls it once per message and trigger,
   * after the trigger's platform, role and amount filters passed. A throw
   * skips this trigger for this message only (`trigger.failed`,
   * `SS_ERR_TRIGGER_MATCH_FAILED`); the other triggers still run.
   */
  match(message: ChatMessage, state: S): string[] | undefined;
}

/**
 * Any trigger type, whatever its params and state: what the extension point
 * collects. (`TriggerType`'s members are methods, whose parameters TypeScript
 * checks bivariantly, so every `TriggerType<P, S>` is one.)
 */
export type AnyTriggerType = TriggerType<unknown, unknown>;

/**
 * A trigger type as {@link defineTriggerType} takes and returns it: a
 * `TriggerType` whose params are typed from `paramsSchema` (a property with a
 * `default` is always set when `compile` runs).
 */
export interface TriggerTypeDefinition<Schema extends TSchema, S> extends TriggerType<Static<Schema>, S> {
  paramsSchema: Schema;
}

/**
 * Declares a trigger type with `params` inferred from its typebox schema and
 * the state inferred from `compile` (the params themselves without one).
 * Contribute it in `register()`:
 *
 * ```ts
 * const shout = defineTriggerType({
 *   type: 'shout',
 *   paramsSchema: Type.Object({ word: Type.String({ minLength: 1 }) }),
 *   compile: ({ word }) => ({ upper: word.toUpperCase() }),       // word: string
 *   index: (state) => ({ substrings: [state.upper.toLowerCase()] }),
 *   match: (message, state) => (message.text.includes(state.upper) ? [state.upper] : undefined),
 * });
 * reg.extend(triggerTypesExtensionPoint, shout);
 * ```
 */
export function defineTriggerType<const Schema extends TSchema, S = Static<Schema>>(
  definition: TriggerTypeDefinition<Schema, S>,
): TriggerTypeDefinition<Schema, S> {
  return definition;
}

export const triggerTypesExtensionPoint: ExtensionPoint<AnyTriggerType> = createExtensionPoint<AnyTriggerType>({
  id: 'kernel.triggerTypes',
});

/**
 * `trigger.failed`: a trigger's `match()` (or code its `compile()` built)
 * threw on a message. Only that trigger was skipped, for that message.
 */
export interface TriggerFailedEvent {
  creatorId: string;
  triggerId: string;
  /** The trigger's type (whose plugin has the bug). */
  triggerType: string;
  messageId: string;
  platform: string;
  /** `SS_ERR_TRIGGER_MATCH_FAILED`. */
  code: string;
  /** The coded error; its `cause` is what `match()` threw. */
  error: SerializedError;
  at: number;
}

export interface TriggerMatch {
  triggerId: string;
  /** Positional arguments after the command / match. */
  args: string[];
  /** Actions with `{user}`, `{args}`, `{argN}`... already filled in. */
  actions: ActionDescriptor[];
}

/** One per creator scope. */
export interface TriggerRegistry {
  /** Validates, compiles and adds a trigger; returns its id. Throws a coded error when invalid. */
  add(definition: TriggerDefinition): string;
  remove(triggerId: string): boolean;
  /** The triggers as compiled: `id` set, `params` with their defaults filled in. */
  list(): readonly (TriggerDefinition & { id: string; params: Record<string, unknown> })[];
  /**
   * Matching triggers whose filters pass, cooldowns not applied
   * (synchronous). A trigger whose `match()` throws is left out, counted and
   * reported as `trigger.failed`. Stateful types (counting messages) advance
   * on every call: call it or `evaluate`, once per message.
   */
  match(message: ChatMessage): TriggerMatch[];
  /** Matches, then applies and records cooldowns (persisted before this resolves). */
  evaluate(message: ChatMessage): Promise<TriggerMatch[]>;
  /** How many times each trigger's `match()` threw, by trigger id (triggers that never failed are absent). */
  failures(): Readonly<Record<string, number>>;
}

export const triggerRegistryRef: ServiceRef<TriggerRegistry, 'creator'> = createServiceRef<TriggerRegistry>({
  id: 'kernel.triggers',
  methods: ['add', 'remove', 'list', 'match', 'evaluate', 'failures'],
  scope: 'creator',
});
