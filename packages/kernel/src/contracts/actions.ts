import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';
import type { ChatMessage } from './chat.js';

/**
 * What a trigger asks to happen, as pure data. Handlers registered by plugins
 * (`chat.reply` by a platform, `clip.create` by clips...) execute them.
 */
export interface ActionDescriptor {
  /** Handler type, `<namespace>.<verb>`. */
  type: string;
  /** Handler parameters; validated against the handler's schema at load. */
  params: Record<string, unknown>;
  /** Optional stable id, for logs and dry-run reports. */
  id?: string;
}

/** Context an action runs in. */
export interface ActionContext {
  creatorId: string;
  /** The message that caused it, when there is one. */
  message?: ChatMessage;
  triggerId?: string;
  dryRun: boolean;
  signal: AbortSignal;
}

export interface ActionHandler<P = Record<string, unknown>> {
  type: string;
  /** typebox (JSON Schema) of `params`; checked when triggers load. */
  paramsSchema: unknown;
  handle(params: P, ctx: ActionContext): Promise<void> | void;
}

export interface ActionDispatcher {
  registerHandler(handler: ActionHandler<never>): void;
  hasHandler(type: string): boolean;
  /** Validates params against the handler schema; throws a coded error when invalid. */
  validate(action: ActionDescriptor): void;
  dispatch(action: ActionDescriptor, ctx: Omit<ActionContext, 'dryRun' | 'signal'> & Partial<ActionContext>): Promise<void>;
}

export const actionDispatcherRef: ServiceRef<ActionDispatcher, 'root'> = createServiceRef<ActionDispatcher>({
  id: 'kernel.actions',
  scope: 'root',
});
