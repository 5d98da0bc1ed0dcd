import {
  createServiceRef,
  type ChatMessage,
  type Clock,
  type EventBus,
  type IdentityMap,
  type Logger,
  type ServiceRef,
  type StateStore,
} from '@streamsuites/kernel';
import type { PollOpenParams, ScoreAddParams, TallyAddParams } from './actions.js';
import { creatorConfigProblems } from './checks.js';
import type { EngagementCreatorConfig } from './config.js';
import type { CounterEntry } from './counters.js';
import { CreatorEngagement, type ScoreboardView, type TallyView } from './creator.js';
import { SS_ERR_ENGAGEMENT_CONFIG_INVALID, SS_ERR_ENGAGEMENT_NOT_ENABLED } from './errors.js';
import { CreatorPersistence } from './persistence.js';
import type { PollRecord } from './polls.js';
import { Signals } from './signals.js';

export interface EngagementOptions {
  bus: EventBus;
  clock: Clock;
  store: StateStore;
  logger: Logger;
  /** Events kept in each signals window. */
  signalsWindow: number;
  /** Poll votes count per person (the kernel's identity map); absent: per account. */
  identity?: Pick<IdentityMap, 'personKey'>;
}

/**
 * The engagement service (root scope): every running creator's polls,
 * tallies and scoreboards, the chat listener that counts votes, and the
 * signals windows. Other plugins may resolve it through `engagementRef` to
 * read the state or change it without a trigger.
 */
export class Engagement {
  readonly signals: Signals;
  readonly #options: EngagementOptions;
  readonly #creators = new Map<string, CreatorEngagement>();

  constructor(options: EngagementOptions) {
    this.#options = options;
    this.signals = new Signals(options.signalsWindow);
  }

  /** Counts votes from `chat.message`; returns the unsubscribe function. */
  listen(bus: EventBus = this.#options.bus): () => void {
    return bus.on('chat.message', (message) => this.onChat(message));
  }

  /** One chat message (normally from the bus). The time is read now, so a replay's clock decides. */
  onChat(message: ChatMessage): void {
    if (typeof message !== 'object' || message === null) return;
    this.#creators.get(message.creatorId)?.onChat(message, this.#options.clock.now());
  }

  /**
   * Loads a creator's state from the store and starts counting for them.
   * Returns the function that stops it (after pending writes finish).
   */
  async attach(creatorId: string, config: EngagementCreatorConfig, logger: Logger = this.#options.logger): Promise<() => Promise<void>> {
    const problems = creatorConfigProblems(config);
    if (problems.length > 0) throw new SS_ERR_ENGAGEMENT_CONFIG_INVALID(creatorId, problems.join('; '), { details: { problems } });
    const persistence = new CreatorPersistence(this.#options.store, creatorId);
    const persisted = await persistence.load();
    const creator = new CreatorEngagement(creatorId, config, persisted, {
      bus: this.#options.bus,
      clock: this.#options.clock,
      logger,
      signals: this.signals,
      persistence,
      ...(this.#options.identity === undefined ? {} : { identity: this.#options.identity }),
    });
    this.#creators.set(creatorId, creator);
    creator.resume(this.#options.clock.now());
    return async () => {
      creator.stop();
      if (this.#creators.get(creatorId) === creator) this.#creators.delete(creatorId);
      await creator.settled();
    };
  }

  /** Ids of the creators engagement runs for, sorted. */
  creators(): string[] {
    return [...this.#creators.keys()].sort();
  }

  has(creatorId: string): boolean {
    return this.#creators.has(creatorId);
  }

  async openPoll(creatorId: string, params: PollOpenParams): Promise<PollRecord> {
    return this.#creator(creatorId, 'poll.open').openPoll(params, this.#options.clock.now());
  }

  async closePoll(creatorId: string): Promise<PollRecord> {
    return this.#creator(creatorId, 'poll.close').closePoll(this.#options.clock.now());
  }

  async addToTally(creatorId: string, params: TallyAddParams): Promise<CounterEntry> {
    return this.#creator(creatorId, 'tally.add').addToTally({ ...params, delta: params.delta ?? 1 }, this.#options.clock.now());
  }

  async addToScore(creatorId: string, params: ScoreAddParams): Promise<CounterEntry> {
    return this.#creator(creatorId, 'score.add').addToScore({ ...params, delta: params.delta ?? 1 }, this.#options.clock.now());
  }

  /** The open poll (if any) first, then closed ones newest first. Empty for an unknown creator. */
  polls(creatorId: string): PollRecord[] {
    return this.#creators.get(creatorId)?.polls() ?? [];
  }

  tallies(creatorId: string): TallyView[] {
    return this.#creators.get(creatorId)?.tallies() ?? [];
  }

  scoreboards(creatorId: string): ScoreboardView[] {
    return this.#creators.get(creatorId)?.scoreboards() ?? [];
  }

  /** Checks every creator's poll deadline against the kernel clock now. */
  tick(): void {
    const now = this.#options.clock.now();
    for (const creator of this.#creators.values()) creator.tick(now);
  }

  /** Resolves once every change made so far is in the state store. */
  async settled(): Promise<void> {
    await Promise.all([...this.#creators.values()].map((c) => c.settled()));
  }

  /** Stops every timer (the kernel disposes the service at shutdown). */
  dispose(): void {
    for (const creator of this.#creators.values()) creator.stop();
  }

  #creator(creatorId: string, action: string): CreatorEngagement {
    const creator = this.#creators.get(creatorId);
    if (creator === undefined) throw new SS_ERR_ENGAGEMENT_NOT_ENABLED(creatorId, action);
    return creator;
  }
}

export const engagementRef: ServiceRef<Engagement, 'root'> = createServiceRef<Engagement>({ id: 'engagement.service', scope: 'root' });
