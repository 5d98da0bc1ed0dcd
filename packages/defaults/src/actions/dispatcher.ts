import { applyDefaults, type ActionJournal, coerceStrings, didYouMean, parsePointer, pointer, schemaIssues, serializeError, suggest, type ActionDescriptor, type ActionDispatcher, type ActionGuard, type ActionHandler, type ActionRecord, type ActionType, type Clock, type DispatchOptions, type EventBus, type Logger, type ManifestIssue, type SecretRegistry, type StreamSuitesError } from '@streamsuites/kernel';
import { SS_ERR_ACTION_FAILED, SS_ERR_ACTION_GUARD_FAILED, SS_ERR_ACTION_NO_HANDLER, SS_ERR_ACTION_PARAMS_INVALID, SS_ERR_ACTION_TIMEOUT, SS_ERR_ACTION_UNKNOWN } from '../errors.js';
import { Type } from '@streamsuites/kernel';
import { paramsHint, unknownTypeHint } from '../triggers/hints.js';
import { hasPlaceholder } from '../triggers/template.js';
import { moderationActionTypes } from './moderation-types.js';

/** Built-in action types; platform plugins implement them per platform. */
export const builtinActionTypes: readonly ActionType[] = [
  {
    type: 'chat.reply',
    description: 'Send a chat message in the channel the trigger fired in.',
    paramsSchema: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
  },
  ...moderationActionTypes,
];

const DEFAULT_TIMEOUT_MS = 15_000;
const RECENT_LIMIT = 200;

export interface DispatcherDeps {
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  secrets: SecretRegistry;
  actionTypes: readonly ActionType[];
  /** The plugin that declared each action type ('actions' for the built-ins), for hints saying where it is described. */
  actionTypeOwners?: ReadonlyMap<string, string>;
  /** Rules enforced on actions before their handler runs (actionGuardsExtensionPoint), in this order. */
  guards?: readonly ActionGuard[];
  /** Where actions with a deterministic id are recorded once they ran, so a redelivered message skips them. */
  journal?: ActionJournal;
}

/** What the guards left of a dispatch: the params to run with, and who to tell how it ended. */
interface Guarded {
  params: Record<string, unknown>;
  settled: ((record: ActionRecord) => void)[];
}

/**
 * Routes action descriptors to the handlers plugins registered, one action
 * type at a time: params templated by the trigger are converted and checked
 * against the type's schema, the guards of its type judge it (refuse,
 * adjust the params, or let it through), the handler runs under a timeout, and every
 * outcome (executed, dry-run, failed) is emitted and kept in a bounded log.
 * A failing or hanging handler never escapes: it becomes `action.failed`.
 */
export class DefaultActionDispatcher implements ActionDispatcher {
  readonly #types = new Map<string, ActionType>();
  readonly #handlers = new Map<string, ActionHandler<any>[]>();
  readonly #dryRun = new Map<string, boolean>();
  readonly #recent: ActionRecord[] = [];
  readonly #deps: DispatcherDeps;
  #globalDryRun = false;
  #sequence = 0;

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
    for (const type of deps.actionTypes) this.#types.set(type.type, type);
  }

  /** Dry-run for the whole process and/or one creator (manifest `dryRun`). */
  setDryRun(value: boolean, creatorId?: string): void {
    if (creatorId === undefined) this.#globalDryRun = value;
    else this.#dryRun.set(creatorId, value);
  }

  isDryRun(creatorId: string): boolean {
    return this.#globalDryRun || this.#dryRun.get(creatorId) === true;
  }

  registerHandler<P = Record<string, unknown>>(handler: ActionHandler<P>): () => void {
    if (!this.#types.has(handler.type)) {
      // A plugin bug, not a manifest mistake: the hint is for its author.
      throw new SS_ERR_ACTION_UNKNOWN(handler.type, {
        hint: `Declare the action type in register() with reg.extend(actionTypesExtensionPoint, { type: '${handler.type}', paramsSchema }) before registering its handler. ${didYouMean(suggest(handler.type, this.types()))}`.trim(),
      });
    }
    const list = this.#handlers.get(handler.type) ?? [];
    list.push(handler);
    this.#handlers.set(handler.type, list);
    return () => {
      const current = this.#handlers.get(handler.type) ?? [];
      this.#handlers.set(handler.type, current.filter((h) => h !== handler));
    };
  }

  types(): string[] {
    return [...this.#types.keys()].sort();
  }

  validate(action: ActionDescriptor): void {
    const [first] = this.issues(action, []);
    if (first === undefined) return;
    const hint = first.hint === undefined ? {} : { hint: first.hint };
    if (first.code === SS_ERR_ACTION_UNKNOWN.code) throw new SS_ERR_ACTION_UNKNOWN(action.type, hint);
    throw new SS_ERR_ACTION_PARAMS_INVALID(action.type, `${first.path}: ${first.message}`, { details: { path: first.path }, ...hint });
  }

  /** Problems of an action as manifest issues under `basePath`; templated strings are not checked. */
  issues(action: ActionDescriptor, basePath: readonly (string | number)[]): ManifestIssue[] {
    const type = this.#types.get(action.type);
    if (type === undefined) {
      return [
        {
          code: SS_ERR_ACTION_UNKNOWN.code,
          path: pointer([...basePath, 'type']),
          message: `unknown action type "${action.type}" (known: ${this.types().join(', ')})`,
          hint: unknownTypeHint('action', action.type, this.types()),
        },
      ];
    }
    const params = applyDefaults(type.paramsSchema, action.params ?? {});
    return schemaIssues(type.paramsSchema, params, [...basePath, 'params'], {
      schema: SS_ERR_ACTION_PARAMS_INVALID.code,
      unknownKey: SS_ERR_ACTION_PARAMS_INVALID.code,
      hint: (problem) => paramsHint('action', type.type, this.#owner(type.type), problem, type.paramsSchema),
    }).filter((issue) => !isTemplated(params, issue.path, pointer([...basePath, 'params'])));
  }

  /** The plugin that declared an action type; built-ins are the dispatcher's own plugin. */
  #owner(type: string): string | undefined {
    return this.#deps.actionTypeOwners?.get(type) ?? (builtinActionTypes.some((t) => t.type === type) ? 'actions' : undefined);
  }

  async dispatch(action: ActionDescriptor, options: DispatchOptions): Promise<ActionRecord> {
    const at = this.#deps.clock.now();
    const actionId = options.actionId ?? `${options.creatorId}:${++this.#sequence}`;
    const dryRun = options.dryRun ?? this.isDryRun(options.creatorId);
    const base = {
      actionId,
      creatorId: options.creatorId,
      type: action.type,
      params: action.params,
      ...(options.triggerId === undefined ? {} : { triggerId: options.triggerId }),
      at,
    };
    const guarded: Guarded = { params: {}, settled: [] };
    try {
      guarded.params = this.#prepare(action);
      const journaled = options.actionId !== undefined ? this.#deps.journal : undefined;
      // Before the guards: an action that ran already must neither count against a limit again nor be refused by the one it used.
      if (journaled !== undefined && options.redelivered === true && (await this.#ranBefore(journaled, actionId, options.creatorId))) {
        this.#deps.logger.debug({ actionId, creator: options.creatorId, type: action.type }, `action ${actionId} already ran; not repeated`);
        return this.#finish({ ...base, params: guarded.params, outcome: 'duplicate' }, action, guarded, options.message?.platform);
      }
      // Guards judge dry-runs too, so a dry run shows what would be refused.
      this.#guard(action, guarded, { actionId, creatorId: options.creatorId, dryRun, options });
      const params = guarded.params;
      if (dryRun && this.#types.get(action.type)?.effects !== 'internal') return this.#finish({ ...base, params, outcome: 'dry-run' }, action, guarded, options.message?.platform);
      const handler = this.#handlerFor(action.type, options.message?.platform);
      const result = await this.#run(handler, params, actionId, options);
      if (journaled !== undefined) {
        const noted = this.#record(journaled, actionId, options.creatorId);
        if (noted !== undefined) await noted;
      }
      const record = this.#finish({ ...base, params, outcome: 'executed' }, action, guarded, options.message?.platform);
      // The handler's return value goes back to this caller only (never into recent() or events).
      return result === undefined ? record : { ...record, result };
    } catch (error) {
      const failure = error as StreamSuitesError;
      const serialized = this.#deps.secrets.redact(serializeError(failure));
      if (refusals.has(failure)) this.#deps.logger.info({ actionId, creator: options.creatorId, type: action.type, code: failure.code }, `action ${actionId} refused: ${failure.message}`);
      else this.#deps.logger.error({ err: failure, actionId, creator: options.creatorId, type: action.type }, `action ${actionId} failed`);
      return this.#finish({ ...base, outcome: 'failed', error: serialized }, action, guarded, options.message?.platform);
    }
  }

  /**
   * Runs the guards of the action's type in order; a refusal is thrown as
   * it is (its own code), a throwing guard fails the action closed.
   */
  #guard(action: ActionDescriptor, guarded: Guarded, ctx: { actionId: string; creatorId: string; dryRun: boolean; options: DispatchOptions }): void {
    const guards = this.#deps.guards;
    if (guards === undefined || guards.length === 0) return;
    const context = {
      actionId: ctx.actionId,
      creatorId: ctx.creatorId,
      dryRun: ctx.dryRun,
      ...(ctx.options.message === undefined ? {} : { message: ctx.options.message }),
      ...(ctx.options.triggerId === undefined ? {} : { triggerId: ctx.options.triggerId }),
    };
    for (const guard of guards) {
      if (guard.types !== '*' && !guard.types.includes(action.type)) continue;
      let verdict;
      try {
        verdict = guard.check({ type: action.type, params: guarded.params, given: action.params ?? {} }, context);
      } catch (error) {
        throw new SS_ERR_ACTION_GUARD_FAILED(action.type, guard.id, { cause: error });
      }
      if (verdict === undefined) continue;
      if ('refuse' in verdict) {
        refusals.add(verdict.refuse);
        throw verdict.refuse;
      }
      if (verdict.settled !== undefined) guarded.settled.push(verdict.settled);
      if (verdict.params !== undefined) guarded.params = verdict.params;
    }
  }

  /** Whether a redelivered action ran before; a journal that cannot tell lets it run (a repeat is better than a loss). */
  async #ranBefore(journal: ActionJournal, actionId: string, creatorId: string): Promise<boolean> {
    try {
      return await journal.done(actionId, { creatorId });
    } catch (error) {
      this.#deps.logger.warn({ err: error, actionId, creator: creatorId }, `could not tell whether action ${actionId} ran before; running it`);
      return false;
    }
  }

  /** The action ran: a journal that cannot note it is logged (a redelivery may then repeat it), never a failure of the action. */
  #record(journal: ActionJournal, actionId: string, creatorId: string): Promise<void> | undefined {
    const failed = (error: unknown) => this.#deps.logger.warn({ err: error, actionId, creator: creatorId }, `could not record that action ${actionId} ran`);
    try {
      const noted = journal.record(actionId, { creatorId });
      // A synchronous journal (the default's) costs no extra turn of the event loop.
      return noted instanceof Promise ? noted.catch(failed) : undefined;
    } catch (error) {
      failed(error);
      return undefined;
    }
  }

  recent(): readonly ActionRecord[] {
    return [...this.#recent];
  }

  #prepare(action: ActionDescriptor): Record<string, unknown> {
    const type = this.#types.get(action.type);
    if (type === undefined) throw new SS_ERR_ACTION_UNKNOWN(action.type, { hint: unknownTypeHint('action', action.type, this.types()) });
    const params = applyDefaults(type.paramsSchema, coerceStrings(type.paramsSchema, action.params ?? {})) as Record<string, unknown>;
    // Templated params are checked here, once chat filled them in; the rest were checked when the trigger loaded.
    const [problem] = schemaIssues(type.paramsSchema, params, [], {
      schema: SS_ERR_ACTION_PARAMS_INVALID.code,
      unknownKey: SS_ERR_ACTION_PARAMS_INVALID.code,
      hint: (found) => paramsHint('action', type.type, this.#owner(type.type), found, type.paramsSchema),
    });
    if (problem !== undefined) {
      throw new SS_ERR_ACTION_PARAMS_INVALID(action.type, `${problem.path}: ${problem.message}`, {
        details: { path: problem.path },
        ...(problem.hint === undefined ? {} : { hint: problem.hint }),
      });
    }
    return params;
  }

  #handlerFor(type: string, platform: string | undefined): ActionHandler<any> {
    const handlers = this.#handlers.get(type) ?? [];
    const handler =
      handlers.find((h) => h.platform !== undefined && h.platform === platform) ?? handlers.find((h) => h.platform === undefined);
    if (handler === undefined) throw new SS_ERR_ACTION_NO_HANDLER(type, platform ?? '(none)');
    return handler;
  }

  async #run(handler: ActionHandler<any>, params: Record<string, unknown>, actionId: string, options: DispatchOptions): Promise<unknown> {
    const timeoutMs = handler.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = Promise.resolve().then(() =>
        handler.handle(params, {
          actionId,
          creatorId: options.creatorId,
          ...(options.message === undefined ? {} : { message: options.message }),
          ...(options.triggerId === undefined ? {} : { triggerId: options.triggerId }),
          signal: controller.signal,
        }),
      );
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new SS_ERR_ACTION_TIMEOUT(handler.type, timeoutMs);
          controller.abort(error);
          reject(error);
        }, timeoutMs);
      });
      return await Promise.race([work, timeout]);
    } catch (error) {
      if (SS_ERR_ACTION_TIMEOUT.is(error)) throw error;
      throw new SS_ERR_ACTION_FAILED(handler.type, { cause: error });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  #finish(record: ActionRecord, action: ActionDescriptor, guarded?: Guarded, platform?: string): ActionRecord {
    for (const settled of guarded?.settled ?? []) {
      try {
        settled(record);
      } catch (error) {
        this.#deps.logger.error({ err: error, actionId: record.actionId, type: record.type }, 'an action guard failed when told how the action ended');
      }
    }
    this.#recent.push(record);
    if (this.#recent.length > RECENT_LIMIT) this.#recent.splice(0, this.#recent.length - RECENT_LIMIT);
    const event = {
      actionId: record.actionId,
      creatorId: record.creatorId,
      ...(platform === undefined ? {} : { platform }),
      action: { ...action, params: record.params },
      ...(record.triggerId === undefined ? {} : { triggerId: record.triggerId }),
      dryRun: record.outcome === 'dry-run',
      at: record.at,
    };
    if (record.outcome === 'failed') this.#deps.bus.emit('action.failed', { ...event, error: record.error! });
    // A duplicate's events went out when it ran.
    else if (record.outcome !== 'duplicate') this.#deps.bus.emit('action.dispatched', event);
    return record;
  }
}

/** Errors guards refused actions with: logged as refusals, not as failures. */
const refusals = new WeakSet<object>();

/** True when the value at `issuePath` (under `paramsPath`) is a string with a placeholder. */
function isTemplated(params: unknown, issuePath: string, paramsPath: string): boolean {
  if (!issuePath.startsWith(paramsPath)) return false;
  let value: unknown = params;
  for (const segment of parsePointer(issuePath.slice(paramsPath.length) || '/')) {
    if (typeof value !== 'object' || value === null) return false;
    value = (value as Record<string, unknown>)[segment];
  }
  return typeof value === 'string' && hasPlaceholder(value);
}
