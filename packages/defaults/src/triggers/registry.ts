import { serializeError, type ChatMessage, type Clock, type CooldownBook, type CooldownRequest, type EventBus, type IdentityMap, type Logger, type TriggerDefinition, type TriggerMatch, type TriggerRegistry } from '@streamsuites/kernel';
import { SS_ERR_TRIGGER_DUPLICATE_ID, SS_ERR_TRIGGER_MATCH_FAILED } from '../errors.js';
import type { CompiledTrigger, TriggerCatalog } from './catalog.js';
import { eventMessage, eventOf, eventText, eventTriggerType, eventUser, matchesEvent, type EventPayload } from './event-type.js';
import { TriggerIndex } from './trigger-index.js';

/**
 * One creator's triggers. Matching goes through the TriggerIndex (never a
 * scan of every trigger); filters and cooldowns are checked only for the
 * candidates that match. A trigger whose type's `match()` throws is
 * skipped for that message only: counted, logged once per trigger, and
 * emitted as `trigger.failed`; the message's other triggers still run.
 */
export class CreatorTriggerRegistry implements TriggerRegistry {
  readonly #creatorId: string;
  readonly #catalog: TriggerCatalog;
  readonly #cooldowns: CooldownBook;
  readonly #triggers: CompiledTrigger[] = [];
  readonly #byId = new Map<string, CompiledTrigger>();
  readonly #bus: EventBus | undefined;
  readonly #clock: Clock | undefined;
  readonly #logger: Logger | undefined;
  /** User cooldowns key on the person (a viewer linked across platforms shares one); absent: on the account. */
  readonly #identity: Pick<IdentityMap, 'personKey'> | undefined;
  /** match() throws per trigger id. */
  readonly #failures = new Map<string, number>();
  #index: TriggerIndex<CompiledTrigger> | undefined;
  /** `event` triggers by event name, in definition order (rebuilt after add / remove). */
  #events: Map<string, CompiledTrigger[]> | undefined;
  readonly #eventWatchers = new Set<() => void>();

  constructor(deps: {
    creatorId: string;
    catalog: TriggerCatalog;
    cooldowns: CooldownBook;
    bus?: EventBus;
    clock?: Clock;
    logger?: Logger;
    identity?: Pick<IdentityMap, 'personKey'>;
  }) {
    this.#creatorId = deps.creatorId;
    this.#catalog = deps.catalog;
    this.#cooldowns = deps.cooldowns;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#identity = deps.identity;
  }

  add(definition: TriggerDefinition): string {
    const compiled = this.#catalog.compile(definition);
    if (this.#byId.has(compiled.id)) throw new SS_ERR_TRIGGER_DUPLICATE_ID(compiled.id);
    this.#triggers.push(compiled);
    this.#byId.set(compiled.id, compiled);
    this.#index = undefined;
    if (isEventTrigger(compiled)) this.#eventsChanged();
    return compiled.id;
  }

  remove(triggerId: string): boolean {
    const position = this.#triggers.findIndex((t) => t.id === triggerId);
    if (position < 0) return false;
    const [removed] = this.#triggers.splice(position, 1);
    this.#byId.delete(triggerId);
    this.#failures.delete(triggerId);
    this.#index = undefined;
    if (removed !== undefined && isEventTrigger(removed)) this.#eventsChanged();
    return true;
  }

  list(): readonly (TriggerDefinition & { id: string; params: Record<string, unknown> })[] {
    return this.#triggers.map((t) => t.definition);
  }

  failures(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#failures);
  }

  match(message: ChatMessage): TriggerMatch[] {
    // Messages come from platform plugins; a malformed one is skipped, never a throw on the hot path.
    if (!isMatchable(message)) return [];
    // Event triggers never match chat: left out of the index, they cost chat nothing.
    this.#index ??= new TriggerIndex(this.#triggers.filter((t) => !isEventTrigger(t)));
    const matches: TriggerMatch[] = [];
    for (const trigger of this.#index.candidates(message)) {
      if (!passesFilters(trigger, message)) continue;
      let args: string[] | undefined;
      try {
        args = trigger.type.match(message, trigger.state);
        if (args !== undefined && !Array.isArray(args)) throw new TypeError(`match() returned ${typeof args}, not string[] or undefined`);
      } catch (error) {
        this.#matchFailed(trigger, message, error);
        continue;
      }
      if (args === undefined) continue;
      matches.push({ triggerId: trigger.id, args, actions: trigger.fill(message, args) });
    }
    return matches;
  }

  /** Third-party code failed on one message: count it, surface it, keep the other triggers. */
  #matchFailed(trigger: CompiledTrigger, message: ChatMessage, cause: unknown): void {
    const count = (this.#failures.get(trigger.id) ?? 0) + 1;
    this.#failures.set(trigger.id, count);
    const error = new SS_ERR_TRIGGER_MATCH_FAILED(trigger.id, trigger.type.type, { cause, details: { triggerId: trigger.id, messageId: message.id } });
    // Logged on the first failure of each trigger only: one that throws on every message must not flood the log (the event and the count say the rest).
    if (count === 1) this.#logger?.warn({ err: error, trigger: trigger.id, type: trigger.type.type, messageId: message.id }, error.message);
    this.#bus?.emit('trigger.failed', {
      creatorId: this.#creatorId,
      triggerId: trigger.id,
      triggerType: trigger.type.type,
      messageId: message.id,
      platform: message.platform,
      code: error.code,
      error: serializeError(error),
      at: this.#clock?.now() ?? Date.now(),
    });
  }

  async evaluate(message: ChatMessage): Promise<TriggerMatch[]> {
    const matches = this.match(message);
    // A match means the message passed isMatchable(), so its author is there to key on.
    return matches.length === 0 ? matches : this.#reserve(matches, this.#userKey(message.platform, message.author.id), `${message.platform}:${message.id}`);
  }

  /** The event names this creator's `event` triggers listen to (the pipeline subscribes to these only). */
  eventNames(): string[] {
    return [...this.#eventTriggers().keys()];
  }

  /** Calls `listener` whenever the event names may have changed (an event trigger added or removed); returns a function that stops it. */
  onEventNamesChanged(listener: () => void): () => void {
    this.#eventWatchers.add(listener);
    return () => this.#eventWatchers.delete(listener);
  }

  /**
   * The `event` triggers of `event` whose conditions the payload meets, with
   * their actions filled in (cooldowns not applied). A payload of another
   * creator, or that is not an object, matches nothing.
   */
  matchEvent(event: string, payload: EventPayload): { matches: TriggerMatch[]; message: ChatMessage } {
    const message = eventMessage(event, payload, this.#clock?.now() ?? Date.now());
    const triggers = this.#eventTriggers().get(event);
    if (triggers === undefined || typeof payload !== 'object' || payload === null || payload.creatorId !== this.#creatorId) return { matches: [], message };
    const matches: TriggerMatch[] = [];
    for (const trigger of triggers) {
      if (trigger.definition.enabled === false) continue;
      if (trigger.platforms !== undefined && !trigger.platforms.includes(message.platform)) continue;
      let actions;
      try {
        if (!matchesEvent(trigger.state, payload)) continue;
        actions = trigger.fill(message, [], (path) => eventText(payload, path));
      } catch (error) {
        this.#matchFailed(trigger, message, error);
        continue;
      }
      matches.push({ triggerId: trigger.id, args: [], actions });
    }
    return { matches, message };
  }

  /**
   * Matches an event, then applies and records cooldowns like `evaluate`:
   * the user level keys on the payload's `user.id` (events without a user
   * skip the user level; creator and global still apply).
   */
  async evaluateEvent(event: string, payload: EventPayload): Promise<{ fired: TriggerMatch[]; message: ChatMessage }> {
    const { matches, message } = this.matchEvent(event, payload);
    const user = matches.length === 0 ? undefined : eventUser(payload);
    // No holder: an event's id may be made up (`<event>@<at>`), and events are not redelivered.
    return { fired: await this.#reserve(matches, user === undefined ? undefined : this.#userKey(message.platform, user.id), undefined), message };
  }

  /** The user level's key: the person (`person:<id>`) when the account is linked, else `<platform>:<user id>`. */
  #userKey(platform: string, userId: string): string {
    return this.#identity === undefined ? `${platform}:${userId}` : this.#identity.personKey(platform, userId);
  }

  #eventTriggers(): Map<string, CompiledTrigger[]> {
    if (this.#events === undefined) {
      this.#events = new Map();
      for (const trigger of this.#triggers) {
        if (!isEventTrigger(trigger)) continue;
        const name = eventOf(trigger.state);
        this.#events.set(name, [...(this.#events.get(name) ?? []), trigger]);
      }
    }
    return this.#events;
  }

  #eventsChanged(): void {
    this.#events = undefined;
    for (const watcher of [...this.#eventWatchers]) watcher();
  }

  /** Cooldowns for the matches; `userKey` undefined skips the user level; `holder` is the message asking. */
  async #reserve(matches: TriggerMatch[], userKey: string | undefined, holder: string | undefined): Promise<TriggerMatch[]> {
    if (matches.length === 0) return matches;
    const requests: CooldownRequest[] = [];
    const checked: TriggerMatch[] = [];
    const fired: TriggerMatch[] = [];
    for (const match of matches) {
      const trigger = this.#byId.get(match.triggerId)!;
      const { user, creator, global } = trigger.cooldownMs;
      // Most triggers have no cooldown: they fire without asking the book (no round trip for a distributed one).
      if ((user === undefined || userKey === undefined) && creator === undefined && global === undefined) {
        fired.push(match);
        continue;
      }
      checked.push(match);
      requests.push({
        triggerId: trigger.id,
        creatorId: this.#creatorId,
        userKey: userKey ?? '',
        ...user === undefined || userKey === undefined ? {} : { userMs: user },
        ...creator === undefined ? {} : { creatorMs: creator },
        ...global === undefined ? {} : { globalMs: global },
        ...holder === undefined ? {} : { holder },
      });
    }
    if (requests.length === 0) return fired;
    const granted = await this.#cooldowns.reserve(requests);
    const passed = new Set(fired);
    checked.forEach((match, i) => granted[i] === true && passed.add(match));
    // Keep the order the triggers matched in.
    return matches.filter((match) => passed.has(match));
  }
}

function isEventTrigger(trigger: CompiledTrigger): boolean {
  return trigger.type === eventTriggerType;
}

function isMatchable(message: ChatMessage): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof message.text === 'string' &&
    typeof message.platform === 'string' &&
    typeof message.author === 'object' &&
    message.author !== null &&
    typeof message.author.id === 'string' &&
    Array.isArray(message.author.roles)
  );
}

function passesFilters(trigger: CompiledTrigger, message: ChatMessage): boolean {
  if (trigger.definition.enabled === false) return false;
  if (trigger.platforms !== undefined && !trigger.platforms.includes(message.platform)) return false;
  if (trigger.roles !== undefined && trigger.roles.length > 0) {
    const roles = message.author.roles;
    // The broadcaster outranks every role filter.
    if (!roles.includes('broadcaster') && !trigger.roles.some((role) => roles.includes(role))) return false;
  }
  if (trigger.minAmountMicros !== undefined && (message.monetary?.amountMicros ?? 0) < trigger.minAmountMicros) return false;
  return true;
}
