import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';
import type { ActionDescriptor } from './actions.js';
import type { ChatMessage, ChatRole, Platform } from './chat.js';

/** Cooldown durations such as `"30s"`, `"5m"`, `"1h"`. */
export type DurationString = `${number}${'ms' | 's' | 'm' | 'h'}`;

export interface TriggerCooldown {
  /** Per user, per trigger. */
  user?: DurationString;
  /** Per creator, per trigger. */
  creator?: DurationString;
  /** Across all creators of the process, per trigger. */
  global?: DurationString;
}

/** A chat trigger as written in the manifest (`creators.<id>.triggers`). */
export interface TriggerDefinition {
  /** Stable id; derived from type + params when omitted. */
  id?: string;
  /** `command`, `keyword`, `regex`, or a type added through the extension point. */
  type: string;
  params: Record<string, unknown>;
  platforms?: Platform[];
  roles?: ChatRole[];
  /** Minimum monetary amount (micros) for the trigger to match. */
  minAmountMicros?: number;
  cooldown?: TriggerCooldown;
  actions: ActionDescriptor[];
  enabled?: boolean;
}

export interface TriggerMatch {
  triggerId: string;
  /** Positional arguments after the command / match. */
  args: string[];
  /** Actions with `{user}`, `{args}`, `{argN}` already templated. */
  actions: ActionDescriptor[];
}

/** One per creator scope. */
export interface TriggerRegistry {
  add(definition: TriggerDefinition): string;
  remove(triggerId: string): boolean;
  list(): readonly (TriggerDefinition & { id: string })[];
  /** Matches and applies cooldowns; only matches with cooldowns clear are returned. */
  evaluate(message: ChatMessage): Promise<TriggerMatch[]>;
}

export const triggerRegistryRef: ServiceRef<TriggerRegistry, 'creator'> = createServiceRef<TriggerRegistry>({
  id: 'kernel.triggers',
  scope: 'creator',
});
