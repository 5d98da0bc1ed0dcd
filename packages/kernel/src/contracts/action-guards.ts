import type { StreamSuitesError } from '../coded-error.js';
import { createExtensionPoint, type ExtensionPoint } from '../extension-point.js';
import type { ActionRecord } from './actions.js';
import type { ChatMessage } from './chat.js';

/** The action a guard judges: params already converted, defaulted and checked against the type's schema. */
export interface GuardedAction {
  type: string;
  /** What the handler will get, unless a guard changes it. */
  params: Readonly<Record<string, unknown>>;
  /**
   * The params as the trigger or the caller wrote them, before defaults:
   * tells "asked for 30 seconds" from "30 is the schema's default".
   */
  given: Readonly<Record<string, unknown>>;
}

/** Where the action comes from. */
export interface ActionGuardContext {
  actionId: string;
  creatorId: string;
  /** The chat message that caused it; absent for actions a host or a control plane (Discord `/clip`) dispatched. */
  message?: ChatMessage;
  triggerId?: string;
  /**
   * The action will only be recorded: the guard still judges it (a dry run
   * shows what would be refused) but should not count it against a limit.
   */
  dryRun: boolean;
}

/**
 * A guard's answer. `undefined`: let it run as it is. `{ refuse }`: the
 * action does not run; its record is `failed` with this coded error (not
 * wrapped), and `action.failed` is emitted. `{ params }`: run it with these
 * params instead (a clamped length); they must still match the type's
 * schema. `settled` is called once when the dispatch ends, whatever the
 * outcome (executed, dry-run, failed — a later guard's refusal included):
 * where a guard that reserved a use in `check` gives it back when the
 * action did not run.
 */
export type ActionGuardVerdict =
  | undefined
  | { refuse: StreamSuitesError }
  | { params?: Record<string, unknown>; settled?(record: ActionRecord): void };

/**
 * A rule enforced on actions while they are dispatched (tier limits, who
 * may clip, cooldowns), whichever trigger or command asked for them. The
 * dispatcher runs the guards of an action's type in registration order,
 * after the params are prepared and before the handler, in dry-run too;
 * each guard sees the params the previous one returned.
 *
 * `check` is synchronous on purpose: it runs on the action hot path, and
 * a reservation made synchronously cannot race another dispatch of the same
 * action. A guard that needs stored state loads it before creators start
 * (a runtime hook's `beforeCreators`) and writes changes behind. A guard
 * that throws fails the action (closed, never open): the record is
 * `failed` with SS_ERR_ACTION_GUARD_FAILED.
 *
 * Guards have no deps of their own: a plugin contributes the guard in
 * `register()` and gives it its services from its init or runtime hooks.
 */
export interface ActionGuard {
  /** A stable name for logs and errors (`tiers`, `clipRules`). */
  id: string;
  /** Action types the guard judges, or `'*'` for every type. */
  types: readonly string[] | '*';
  check(action: GuardedAction, ctx: ActionGuardContext): ActionGuardVerdict;
}

/** Contribute with `reg.extend(actionGuardsExtensionPoint, guard)`; the default dispatcher runs them. */
export const actionGuardsExtensionPoint: ExtensionPoint<ActionGuard> = createExtensionPoint<ActionGuard>({ id: 'kernel.actionGuards' });
