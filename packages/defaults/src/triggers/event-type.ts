/**
 * The `event` trigger type: fires on a bus event (a platform's channel
 * events such as `twitch.redemption`, `stream.online`...) instead of a chat
 * message, when the payload's fields meet the `where` conditions.
 *
 * ```json
 * { "type": "event", "params": { "event": "twitch.redemption", "where": { "reward.title": "Hydrate" } },
 *   "actions": [{ "type": "chat.reply", "params": { "text": "{user} drinks! ({event.reward.cost} points)" } }] }
 * ```
 *
 * It never matches chat: the registry keeps these triggers out of the chat
 * index, and the pipeline subscribes only to the event names that creators'
 * event triggers name (see pipeline.ts), so chat pays nothing for them.
 */
import { StreamSuitesError, Type, defineTriggerType, pointer, type ChatMessage, type ManifestIssue, type TriggerDefinition } from '@streamsuites/kernel';
import { SS_ERR_TRIGGER_INVALID } from '../errors.js';
import { compileConditions, valueAt, type CompiledCondition, type ConditionOperand } from './event-conditions.js';

/** Event names: `<namespace>.<event>`, lowercase, dashes allowed (`twitch.hype-train`). */
const EVENT_NAME = '^[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+$';
/** Dotted field paths: `bits`, `reward.title`, `choices.0.votes`. */
export const FIELD_PATH = '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const Operators = Type.Object(
  {
    eq: Type.Optional(Scalar),
    gte: Type.Optional(Type.Number()),
    gt: Type.Optional(Type.Number()),
    lte: Type.Optional(Type.Number()),
    lt: Type.Optional(Type.Number()),
    in: Type.Optional(Type.Array(Scalar, { minItems: 1, maxItems: 1000 })),
    contains: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const EventParams = Type.Object(
  {
    event: Type.String({ pattern: EVENT_NAME, maxLength: 200, description: 'The bus event to fire on, e.g. "twitch.redemption".' }),
    where: Type.Optional(
      Type.Record(Type.String({ pattern: FIELD_PATH, maxLength: 200 }), Type.Union([Scalar, Operators]), {
        maxProperties: 50,
        // Keys that are not dotted paths (`user..id`, `a b`) are refused, not silently never matched.
        additionalProperties: false,
        description: 'Conditions on the payload by dotted path: a value (equality) or { eq, gte, gt, lte, lt, in, contains }.',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * Events an `event` trigger may not listen to: chat has its own trigger
 * types, and the trigger and action events would make a trigger fire on its
 * own firing (an endless loop).
 */
const REFUSED = [/^chat\.message$/, /^trigger\./, /^action\./, /^kernel\./];

export interface EventTriggerState {
  event: string;
  conditions: readonly CompiledCondition[];
}

export const eventTriggerType = defineTriggerType({
  type: 'event',
  paramsSchema: EventParams,
  compile({ event, where = {} }): EventTriggerState {
    if (REFUSED.some((pattern) => pattern.test(event))) {
      throw new SS_ERR_TRIGGER_INVALID('event', `"${event}" cannot be listened to by an event trigger`, {
        hint: 'Chat messages have the command, keyword and regex trigger types; trigger.*, action.* and kernel.* events would make triggers fire on their own firing. Name a platform event such as "twitch.redemption" or "stream.online".',
        details: { path: ['event'] },
      });
    }
    return { event, conditions: compileConditions(where as Record<string, ConditionOperand>) };
  },
  // Never a chat match: these triggers are kept out of the chat index and matched with matchEvent().
  match: () => undefined,
});

/** The event name of a compiled event trigger's state. */
export function eventOf(state: unknown): string {
  return (state as EventTriggerState).event;
}

/** True when the payload meets every condition of the trigger. */
export function matchesEvent(state: unknown, payload: Record<string, unknown>): boolean {
  return (state as EventTriggerState).conditions.every((condition) => condition.test(payload));
}

/**
 * Definition-level problems of an event trigger: `roles` and
 * `minAmountMicros` filter chat authors and amounts, which events do not
 * have (payload fields are filtered with `where`).
 */
export function eventTriggerIssues(definition: TriggerDefinition, basePath: readonly (string | number)[]): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  for (const key of ['roles', 'minAmountMicros'] as const) {
    if (definition[key] === undefined) continue;
    issues.push({
      code: SS_ERR_TRIGGER_INVALID.code,
      path: pointer([...basePath, key]),
      message: `"${key}" filters chat messages; an event trigger has none`,
      hint: `Remove "${key}" and filter on the event's fields in params.where instead (e.g. { "bits": { "gte": 100 } }).`,
    });
  }
  return issues;
}

/** A bus payload an event trigger can read (plain object with the creator's id). */
export type EventPayload = Record<string, unknown> & { creatorId: string };

/** `payload.user` as chat would name an author, when the event has a user with an id. */
export function eventUser(payload: Record<string, unknown>): { id: string; login: string; displayName: string } | undefined {
  const user = payload['user'];
  if (typeof user !== 'object' || user === null) return undefined;
  const { id, login, displayName } = user as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return undefined;
  const name = typeof login === 'string' ? login : '';
  return { id, login: name, displayName: typeof displayName === 'string' && displayName !== '' ? displayName : name };
}

/**
 * The stand-in chat message an event trigger's actions run with (the
 * action context's `message`), so handlers chosen by platform (`chat.reply`)
 * and the chat placeholders work: id = the payload's `eventId` (else
 * `<event>@<at>`), platform / channel / creator from the payload, author =
 * the payload's `user` without roles (empty for events without one), text =
 * the payload's `text` when it is a string, else `''`.
 */
export function eventMessage(event: string, payload: EventPayload, now: number): ChatMessage {
  const at = typeof payload['at'] === 'number' ? payload['at'] : now;
  const user = eventUser(payload);
  return {
    id: typeof payload['eventId'] === 'string' && payload['eventId'] !== '' ? payload['eventId'] : `${event}@${at}`,
    platform: typeof payload['platform'] === 'string' ? payload['platform'] : '',
    creatorId: payload.creatorId,
    channel: typeof payload['channel'] === 'string' ? payload['channel'] : '',
    receivedAt: at,
    sentAt: at,
    author: { id: user?.id ?? '', login: user?.login ?? '', displayName: user?.displayName ?? '', roles: [] },
    text: typeof payload['text'] === 'string' ? payload['text'] : '',
    isAction: false,
  };
}

/** `{event.<path>}` as text: strings as they are, numbers and booleans printed, objects as JSON, missing as `''`. */
export function eventText(payload: Record<string, unknown>, path: string): string {
  const value = valueAt(payload, path.split('.'));
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A coded error's path inside params, when compile() set one (for the issue's JSON path). */
export function compileErrorPath(error: unknown): (string | number)[] | undefined {
  if (!(error instanceof StreamSuitesError)) return undefined;
  const path = (error.details as { path?: unknown } | undefined)?.path;
  return Array.isArray(path) && path.every((s) => typeof s === 'string' || typeof s === 'number') ? path : undefined;
}
