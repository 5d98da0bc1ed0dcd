import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

/** Which action a journal entry is about. */
export interface ActionJournalContext {
  creatorId: string;
}

/**
 * Remembers which actions took effect, so a message that runs a second time
 * does not repeat them. A scale-out bridge redelivers a chat message whose
 * first run was cut short (its process died before acknowledging it): the
 * actions that had finished are recorded here and skipped, the rest run.
 *
 * The dispatcher records every action that ran and has a caller-given,
 * deterministic id (the trigger pipeline's `<platform>:<message>:<trigger>:<index>`),
 * and asks `done` only for a redelivered message (`DispatchOptions.redelivered`).
 * The default journal (one process, nothing is redelivered) keeps nothing.
 */
export interface ActionJournal {
  /** Whether the action with this id took effect before. */
  done(actionId: string, ctx: ActionJournalContext): Promise<boolean> | boolean;
  /** Notes that it took effect (resolves once that is durable where the journal keeps it). */
  record(actionId: string, ctx: ActionJournalContext): Promise<void> | void;
}

export const actionJournalRef: ServiceRef<ActionJournal, 'root'> = createServiceRef<ActionJournal>({
  id: 'kernel.actionJournal',
  methods: ['done', 'record'],
  scope: 'root',
});
