import type { TSchema } from 'typebox';
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
  params: Record<string, unknown>;
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
 * registered through the same extension point as third-party types.
 */
export interface TriggerType<P = Record<string, unknown>, S = P> {
  /** Lowercase id used as `type` in trigger definitions. */
  type: string;
  /** typebox (JSON Schema) of `params`, checked when triggers load. */
  paramsSchema: TSchema;
  /**
   * Prepares params once at load (compile regexes, normalize words). Throw a
   * StreamSuitesError for params the schema cannot express as invalid.
   * Defaults to the params themselves.
   */
  compile?(params: P): S;
  /** Index keys for the prepared trigger; omit to be checked on every message. */
  index?(state: S): TriggerIndexKeys;
  /** Confirms a candidate. Returns the positional arguments on a match, undefined otherwise. */
  match(message: ChatMessage, state: S): string[] | undefined;
}

export const triggerTypesExtensionPoint: ExtensionPoint<TriggerType<any, any>> = createExtensionPoint<TriggerType<any, any>>({
  id: 'kernel.triggerTypes',
});

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
  list(): readonly (TriggerDefinition & { id: string })[];
  /** Matching triggers whose filters pass, cooldowns not applied (pure, synchronous). */
  match(message: ChatMessage): TriggerMatch[];
  /** Matches, then applies and records cooldowns (persisted before this resolves). */
  evaluate(message: ChatMessage): Promise<TriggerMatch[]>;
}

export const triggerRegistryRef: ServiceRef<TriggerRegistry, 'creator'> = createServiceRef<TriggerRegistry>({
  id: 'kernel.triggers',
  scope: 'creator',
});
