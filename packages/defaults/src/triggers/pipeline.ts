import type { ActionDispatcher, ChatMessage, Clock, EventBus, TriggerRegistry } from '@streamsuites/kernel';

/**
 * The chat pipeline after normalization: `chat.message` → the creator's
 * trigger registry → `trigger.fired` → the action dispatcher, one action
 * after another in trigger order. Creators attach their registry when they
 * start and detach it when they stop.
 */
export class TriggerPipeline {
  readonly #registries = new Map<string, { registry: TriggerRegistry; signal: AbortSignal }>();
  readonly #bus: EventBus;
  readonly #dispatcher: ActionDispatcher;
  readonly #clock: Clock;
  #unsubscribe: (() => void) | undefined;
  /** Messages whose triggers and actions are still running. */
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(deps: { bus: EventBus; dispatcher: ActionDispatcher; clock: Clock }) {
    this.#bus = deps.bus;
    this.#dispatcher = deps.dispatcher;
    this.#clock = deps.clock;
  }

  start(): void {
    this.#unsubscribe ??= this.#bus.on('chat.message', (message) => this.handle(message));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** `signal` (the creator's) aborts actions in flight when the creator stops. */
  attach(creatorId: string, registry: TriggerRegistry, signal: AbortSignal): void {
    this.#registries.set(creatorId, { registry, signal });
  }

  detach(creatorId: string): void {
    this.#registries.delete(creatorId);
  }

  /** Resolves once no message is being handled (replays wait for it between events). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Runs one message through its creator's triggers; resolves when its actions finished. */
  async handle(message: ChatMessage): Promise<void> {
    if (typeof message !== 'object' || message === null) return;
    const attached = this.#registries.get(message.creatorId);
    if (attached === undefined) return;
    this.#inFlight += 1;
    try {
      await this.#handle(message, attached);
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0 && this.#idleWaiters.length > 0) {
        const waiters = this.#idleWaiters;
        this.#idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  async #handle(message: ChatMessage, attached: { registry: TriggerRegistry; signal: AbortSignal }): Promise<void> {
    const fired = await attached.registry.evaluate(message);
    for (const match of fired) {
      this.#bus.emit('trigger.fired', {
        creatorId: message.creatorId,
        triggerId: match.triggerId,
        messageId: message.id,
        platform: message.platform,
        args: match.args,
        actions: match.actions,
        at: this.#clock.now(),
      });
    }
    for (const match of fired) {
      for (const [index, action] of match.actions.entries()) {
        await this.#dispatcher.dispatch(action, {
          creatorId: message.creatorId,
          message,
          triggerId: match.triggerId,
          actionId: `${message.platform}:${message.id}:${match.triggerId}:${action.id ?? index}`,
          signal: attached.signal,
        });
      }
    }
  }
}
