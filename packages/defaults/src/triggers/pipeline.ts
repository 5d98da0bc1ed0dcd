import type { ActionDispatcher, ChatFilter, ChatPipeline, ChatMessage, SubmitOptions, Clock, EventBus, EventName, Logger, TriggerMatch, TriggerRegistry } from '@streamsuites/kernel';
import type { EventPayload } from './event-type.js';

/** What a registry offers for `event` triggers (the default CreatorTriggerRegistry does; a replacement may not). */
interface EventTriggerRegistry {
  eventNames(): string[];
  onEventNamesChanged(listener: () => void): () => void;
  evaluateEvent(event: string, payload: EventPayload): Promise<{ fired: TriggerMatch[]; message: ChatMessage }>;
}

function hasEventTriggers(registry: TriggerRegistry): registry is TriggerRegistry & EventTriggerRegistry {
  const r = registry as Partial<EventTriggerRegistry>;
  return typeof r.eventNames === 'function' && typeof r.onEventNamesChanged === 'function' && typeof r.evaluateEvent === 'function';
}

interface Attached {
  registry: TriggerRegistry;
  signal: AbortSignal;
  /** A standby creator (`CreatorContext.standby`) is connected but must not act. */
  isStandby?: () => boolean;
  /** Stops watching the registry's event names. */
  unwatch?: () => void;
}

/**
 * The chat pipeline after normalization: `chat.message` → the creator's
 * trigger registry → `trigger.fired` → the action dispatcher, one action
 * after another in trigger order. Creators attach their registry when they
 * start and detach it when they stop.
 *
 * `event` triggers ride the same path from a bus event instead of a chat
 * message: the pipeline subscribes only to the event names the attached
 * creators' event triggers name (kept in step as creators attach, detach
 * and add or remove triggers), so events nobody triggers on, and chat,
 * cost nothing extra.
 */
export class TriggerPipeline implements ChatPipeline {
  readonly #registries = new Map<string, Attached>();
  /** Event name → its bus unsubscribe, while started. */
  readonly #eventSubscriptions = new Map<string, () => void>();
  #started = false;
  readonly #bus: EventBus;
  readonly #dispatcher: ActionDispatcher;
  readonly #clock: Clock;
  #unsubscribe: (() => void) | undefined;
  /** Messages whose triggers and actions are still running. */
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #filters: readonly ChatFilter[];
  readonly #logger: Logger | undefined;
  /** Messages kept from the triggers, by filter id; and filters that threw (the message went through). */
  readonly held = new Map<string, number>();
  filterFailures = 0;

  constructor(deps: { bus: EventBus; dispatcher: ActionDispatcher; clock: Clock; filters?: readonly ChatFilter[]; logger?: Logger }) {
    this.#bus = deps.bus;
    this.#dispatcher = deps.dispatcher;
    this.#clock = deps.clock;
    this.#filters = deps.filters ?? [];
    this.#logger = deps.logger;
  }

  start(): void {
    this.#unsubscribe ??= this.#bus.on('chat.message', (message) => this.handle(message));
    this.#started = true;
    this.#syncEvents();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#started = false;
    this.#syncEvents();
  }

  /** `signal` (the creator's) aborts actions in flight when the creator stops. */
  attach(creatorId: string, registry: TriggerRegistry, signal: AbortSignal, isStandby?: () => boolean): void {
    this.#registries.get(creatorId)?.unwatch?.();
    const attached: Attached = { registry, signal, ...(isStandby === undefined ? {} : { isStandby }) };
    if (hasEventTriggers(registry)) attached.unwatch = registry.onEventNamesChanged(() => this.#syncEvents());
    this.#registries.set(creatorId, attached);
    this.#syncEvents();
  }

  detach(creatorId: string): void {
    this.#registries.get(creatorId)?.unwatch?.();
    this.#registries.delete(creatorId);
    this.#syncEvents();
  }

  /** The event names subscribed to now (for tests and status). */
  eventNames(): string[] {
    return [...this.#eventSubscriptions.keys()].sort();
  }

  /** Subscribes to the event names some attached creator's event triggers use, and only those. */
  #syncEvents(): void {
    const wanted = new Set<string>();
    if (this.#started) {
      for (const { registry } of this.#registries.values()) {
        if (hasEventTriggers(registry)) for (const name of registry.eventNames()) wanted.add(name);
      }
    }
    for (const [name, unsubscribe] of this.#eventSubscriptions) {
      if (wanted.has(name)) continue;
      unsubscribe();
      this.#eventSubscriptions.delete(name);
    }
    for (const name of wanted) {
      if (this.#eventSubscriptions.has(name)) continue;
      // Names come from validated trigger params; any plugin's augmented event may be named.
      const listener = (payload: unknown) => this.handleEvent(name, payload);
      this.#eventSubscriptions.set(name, this.#bus.on(name as EventName, listener as never));
    }
  }

  /** Runs one bus event through its creator's event triggers; resolves when their actions finished. */
  async handleEvent(event: string, payload: unknown): Promise<void> {
    if (typeof payload !== 'object' || payload === null) return;
    const creatorId = (payload as { creatorId?: unknown }).creatorId;
    if (typeof creatorId !== 'string') return;
    const attached = this.#registries.get(creatorId);
    if (attached === undefined || attached.isStandby?.() === true || !hasEventTriggers(attached.registry)) return;
    const registry = attached.registry;
    this.#inFlight += 1;
    try {
      const { fired, message } = await registry.evaluateEvent(event, payload as EventPayload);
      await this.#fire(fired, message, attached);
    } finally {
      this.#settled();
    }
  }

  /** Resolves once no message is being handled (replays wait for it between events). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** The ChatPipeline contract: a message delivered other than on the bus, handled the same way. */
  submit(message: ChatMessage, options?: SubmitOptions): Promise<void> {
    return this.handle(message, options?.redelivered === true);
  }

  /** Runs one message through its creator's triggers; resolves when its actions finished. */
  async handle(message: ChatMessage, redelivered = false): Promise<void> {
    if (typeof message !== 'object' || message === null) return;
    const attached = this.#registries.get(message.creatorId);
    if (attached === undefined || attached.isStandby?.() === true || this.#isHeld(message)) return;
    this.#inFlight += 1;
    try {
      await this.#fire(await attached.registry.evaluate(message), message, attached, redelivered);
    } finally {
      this.#settled();
    }
  }

  /** Whether a chat filter keeps the message from the triggers (a moderation rule is removing it). */
  #isHeld(message: ChatMessage): boolean {
    for (const filter of this.#filters) {
      let reason: string | undefined;
      try {
        reason = filter.hold(message);
      } catch (error) {
        // A broken filter must not silence every trigger: the message goes through, counted and logged.
        this.filterFailures += 1;
        this.#logger?.error({ err: error, filter: filter.id, creator: message.creatorId }, 'chat filter failed; the message goes to the triggers');
        continue;
      }
      if (reason === undefined) continue;
      this.held.set(filter.id, (this.held.get(filter.id) ?? 0) + 1);
      this.#logger?.debug({ filter: filter.id, creator: message.creatorId, messageId: message.id, reason }, 'chat message held from the triggers');
      return true;
    }
    return false;
  }

  /** One message or event done: wakes idle() waiters when it was the last. */
  #settled(): void {
    this.#inFlight -= 1;
    if (this.#inFlight === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  async #fire(fired: readonly TriggerMatch[], message: ChatMessage, attached: Attached, redelivered = false): Promise<void> {
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
          ...(redelivered ? { redelivered } : {}),
          signal: attached.signal,
        });
      }
    }
  }
}
