import type { TSchema } from 'typebox';
import type { SerializedError } from '../coded-error.js';
import { createExtensionPoint, type ExtensionPoint } from '../extension-point.js';
import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';
import type { ChatMessage, Platform } from './chat.js';

/**
 * What a trigger asks to happen, as pure data. Handlers registered by plugins
 * (`chat.reply` by a platform, `clip.create` by clips...) execute them.
 */
export interface ActionDescriptor {
  /** Action type, `<namespace>.<verb>`. */
  type: string;
  /** Handler parameters; validated against the action type's schema when triggers load. */
  params: Record<string, unknown>;
  /** Optional stable id, for logs and dry-run reports. */
  id?: string;
}

/**
 * An action type a plugin offers, declared in register() so triggers can be
 * checked when the manifest loads, before any handler runs.
 */
export interface ActionType {
  type: string;
  /** typebox (JSON Schema) of `params`. Strings are converted to numbers/booleans where the schema asks. */
  paramsSchema: TSchema;
  description?: string;
  /**
   * `external` (the default): the action reaches outside StreamSuites (a
   * chat reply, an upload), so dry-run only records it. `internal`: it only
   * changes StreamSuites' own state (a score, a tally, a poll), so it runs
   * even in dry-run and replays, and exports show what would have happened.
   */
  effects?: 'external' | 'internal';
}

export const actionTypesExtensionPoint: ExtensionPoint<ActionType> = createExtensionPoint<ActionType>({
  id: 'kernel.actionTypes',
});

/** Context an action runs in. */
export interface ActionContext {
  /** Unique id of this execution (`<message>:<trigger>:<index>`), used in logs and events. */
  actionId: string;
  creatorId: string;
  /** The message that caused it, when there is one. */
  message?: ChatMessage;
  triggerId?: string;
  /** Aborted when the handler times out, the creator is removed or the kernel stops. */
  signal: AbortSignal;
}

export interface ActionHandler<P = Record<string, unknown>> {
  /** A declared action type. */
  type: string;
  /**
   * Only run for actions caused on this platform (several platforms each
   * implement `chat.reply`). A handler without platform serves the rest.
   */
  platform?: Platform;
  /** Milliseconds before the handler is considered hung (default 15 000). */
  timeoutMs?: number;
  handle(params: P, ctx: ActionContext): unknown;
}

/**
 * `duplicate`: the action had taken effect when its message ran before (a
 * redelivery, see ActionJournal), so it was not run again.
 */
export type ActionOutcome = 'executed' | 'dry-run' | 'failed' | 'duplicate';

/** One dispatch, as kept in `recent()` for admin exports. */
export interface ActionRecord {
  actionId: string;
  creatorId: string;
  type: string;
  params: Record<string, unknown>;
  triggerId?: string;
  outcome: ActionOutcome;
  at: number;
  error?: SerializedError;
  /**
   * What the handler returned (e.g. `clip.create`'s clip id), on the record
   * `dispatch()` returns to its caller only: never kept in `recent()` nor
   * put in events, so a handler's value never reaches an export.
   */
  result?: unknown;
}

export interface DispatchOptions {
  creatorId: string;
  message?: ChatMessage;
  triggerId?: string;
  /** Defaults to the creator's / manifest's dry-run setting. */
  dryRun?: boolean;
  /** Defaults to a generated id. A given id is deterministic: the action journal records it once the action ran. */
  actionId?: string;
  /**
   * The message causing this ran before (a redelivery): when the action
   * journal records `actionId` as done, the action is not run again (outcome
   * `duplicate`). Ignored without an `actionId`.
   */
  redelivered?: boolean;
  signal?: AbortSignal;
}

export interface ActionDispatcher {
  /** Registers the implementation of an action type; returns a function that removes it. */
  registerHandler<P = Record<string, unknown>>(handler: ActionHandler<P>): () => void;
  /** Declared action types, sorted. */
  types(): string[];
  /** Throws SS_ERR_ACTION_UNKNOWN or SS_ERR_ACTION_PARAMS_INVALID. Placeholders such as `{arg1}` are not checked. */
  validate(action: ActionDescriptor): void;
  /**
   * Runs (or, in dry-run, records) one action. Never throws: failures are
   * logged with the action id, emitted as `action.failed` and returned.
   */
  dispatch(action: ActionDescriptor, options: DispatchOptions): Promise<ActionRecord>;
  /** The last dispatches (bounded), oldest first. */
  recent(): readonly ActionRecord[];
  /**
   * Turns dry-run on or off at run time, for one creator or (without
   * `creatorId`) the whole process, as the manifest's `dryRun` does at start
   * (the Discord `/dryrun` command). Lasts until the process stops.
   */
  setDryRun(value: boolean, creatorId?: string): void;
  /** Whether actions of `creatorId` are only recorded (its own or the process's dry-run). */
  isDryRun(creatorId: string): boolean;
}

export const actionDispatcherRef: ServiceRef<ActionDispatcher, 'root'> = createServiceRef<ActionDispatcher>({
  id: 'kernel.actions',
  methods: ['registerHandler', 'types', 'validate', 'dispatch', 'recent', 'setDryRun', 'isDryRun'],
  scope: 'root',
});
