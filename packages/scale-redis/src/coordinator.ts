import { creatorContextRef, type ChatMessage, type EventBus, type Kernel, type Logger, type SubmitOptions } from '@streamsuites/kernel';
import type { Redis } from 'ioredis';
import { ChatStream, type ChatStreamCounters } from './chat-stream.js';
import { SS_ERR_SCALE_REDIS_UNAVAILABLE } from './errors.js';
import type { ScaleConfig } from './config.js';
import { LeaseKeeper } from './leases.js';

export interface ScaleCoordinatorOptions {
  config: ScaleConfig;
  owner: string;
  redis: Redis;
  /** A connection of its own for blocking stream reads (closed with the coordinator). */
  reader: Redis;
  kernel: Kernel;
  bus: EventBus;
  /** Runs one message here (`redelivered`: a claimed entry, which may have run in part before). */
  submit(message: ChatMessage, options: SubmitOptions): Promise<void>;
  logger: Logger;
}

export interface ScaleStatus {
  process: string;
  /** Creators this process holds, with their fencing tokens. */
  creators: Record<string, number>;
  /** Creators this process runs as a hot standby. */
  standby: string[];
  chat: ChatStreamCounters;
  /** Chat messages that could not be published to Redis (received here, not run anywhere). */
  publishFailures: number;
}

/**
 * One process's part of a deployment: keeps its creator leases (LeaseKeeper),
 * starts and parks the creators in the kernel as leases come and go,
 * publishes every chat message it receives to the creator's stream, and
 * runs the streams of the creators it holds.
 */
export class ScaleCoordinator {
  readonly owner: string;
  readonly #o: ScaleCoordinatorOptions;
  readonly #keeper: LeaseKeeper;
  /** Standby leases: creators this process keeps connected (publishing their chat) while another owns them. */
  readonly #standby: LeaseKeeper | undefined;
  readonly #chat: ChatStream;
  /** Per creator, the start/stop steps in order (a lease lost while the creator starts waits for the start). */
  readonly #steps = new Map<string, Promise<void>>();
  readonly #off: (() => void)[] = [];
  #claimTimer: NodeJS.Timeout | undefined;
  #publishFailures = 0;
  #stopping = false;
  #closed: Promise<void> | undefined;

  constructor(options: ScaleCoordinatorOptions) {
    this.#o = options;
    this.owner = options.owner;
    const { config } = options;
    const creators = Object.keys(options.kernel.manifest.creators);
    this.#keeper = new LeaseKeeper(options.redis, {
      owner: options.owner,
      ttlMs: config.leaseTtlMs,
      prefix: config.prefix,
      creators,
      beforeRelease: (creatorId) => this.#park(creatorId),
      // Taking over a creator already connected here as a standby loses nothing and costs no reconnect.
      prefer: (creatorId) => this.#standby?.held().has(creatorId) === true,
    });
    this.#standby =
      config.standby
        ? new LeaseKeeper(options.redis, {
            owner: options.owner,
            ttlMs: config.leaseTtlMs,
            prefix: `${config.prefix}standby:`,
            creators,
            // A standby acts on nothing, so it may outlive its lease: it keeps receiving until the next standby is there.
            beforeRelease: async (creatorId) => void this.#handOverStandby(creatorId),
            // Never a standby of a creator this process owns.
            skip: (creatorId) => this.#keeper.held().has(creatorId),
            // Each process stands by for the others' creators only: an even split of those (not of all)
            // leaves room, so greedy picks never strand a creator without a standby.
            share: (creators, processes) => (processes <= 1 ? 0 : Math.ceil(creators / (processes - 1))),
          })
        : undefined;
    this.#chat = new ChatStream({
      redis: options.redis,
      reader: options.reader,
      consumer: options.owner,
      submit: options.submit,
      prefix: config.prefix,
      maxLen: config.chat.maxLen,
      dedupeTtlMs: config.chat.dedupeTtlMs,
      blockMs: config.chat.blockMs,
      // Below the lease TTL, so what a dead owner left is claimable as soon as its lease is ours.
      claimIdleMs: Math.min(1000, Math.floor(config.leaseTtlMs / 2)),
      logger: options.logger,
    });
    this.#keeper.on('acquired', (creatorId) => this.#step(creatorId, () => this.#run(creatorId)));
    this.#keeper.on('lost', (creatorId) => {
      options.logger.warn({ creator: creatorId }, 'lost the lease of a creator (Redis unreachable or too slow); stopping it here');
      this.#step(creatorId, () => this.#stopHere(creatorId));
    });
    this.#keeper.on('error', (error) => options.logger.warn({ err: error }, 'a lease round failed'));
    this.#standby?.on('acquired', (creatorId) => this.#step(creatorId, () => this.#run(creatorId)));
    this.#standby?.on('lost', (creatorId) => this.#step(creatorId, () => this.#stopHere(creatorId)));
    this.#standby?.on('error', (error) => options.logger.warn({ err: error }, 'a standby lease round failed'));
  }

  /** Whether this process holds the creator's lease (owner) or its standby lease now. */
  holds(creatorId: string): boolean {
    return this.#owns(creatorId) || this.#standby?.held().has(creatorId) === true;
  }

  status(): ScaleStatus {
    return {
      process: this.owner,
      creators: Object.fromEntries(this.#keeper.held()),
      standby: [...(this.#standby?.held().keys() ?? [])].sort(),
      chat: this.#chat.counters(),
      publishFailures: this.#publishFailures,
    };
  }

  #owns(creatorId: string): boolean {
    return this.#keeper.held().has(creatorId);
  }

  /** Checks Redis answers (a wrong URL fails the plugin's init, not later). */
  async connect(): Promise<void> {
    try {
      await this.#o.redis.ping();
      await this.#o.reader.ping();
    } catch (error) {
      throw new SS_ERR_SCALE_REDIS_UNAVAILABLE('connecting (plugins.scale.config.url)', (error as Error).message, { cause: error });
    }
  }

  /** After kernel.started: announce this process, let peers starting with it show up, then take creators. */
  async start(): Promise<void> {
    const { bus, kernel, config } = this.#o;
    this.#off.push(
      bus.on('chat.message', (message) => {
        void this.#chat.publish(message).catch((error: unknown) => {
          this.#publishFailures++;
          this.#o.logger.error({ err: error, creator: message.creatorId, messageId: message.id }, 'could not publish a chat message to Redis; it is not run');
        });
      }),
      bus.on('kernel.reload.applied', () => {
        this.#keeper.setCreators(Object.keys(kernel.manifest.creators));
        this.#standby?.setCreators(Object.keys(kernel.manifest.creators));
      }),
      // Creators stop next: stop reading first, so nothing is taken that a stopping creator cannot run.
      bus.on('kernel.stopping', () => {
        this.#stopping = true;
        void this.#chat.stop();
      }),
    );
    await this.#keeper.leases.heartbeat(this.owner, config.leaseTtlMs);
    if (config.settleMs > 0) await new Promise((resolve) => setTimeout(resolve, config.settleMs).unref());
    if (this.#stopping) return;
    await this.#keeper.start();
    await this.#standby?.start();
    // Entries a dead process left pending become claimable as they idle; look again every lease period.
    this.#claimTimer = setInterval(() => {
      for (const creatorId of this.#chat.owned()) void this.#chat.claim(creatorId).catch((error: unknown) => this.#o.logger.warn({ err: error }, 'claiming pending chat failed'));
    }, config.leaseTtlMs);
    this.#claimTimer.unref();
  }

  /** Stops taking creators, gives every lease up (creators parked first) and closes the reader. Idempotent. */
  close(): Promise<void> {
    return (this.#closed ??= (async () => {
      this.#stopping = true;
      clearInterval(this.#claimTimer);
      for (const off of this.#off.splice(0)) off();
      await this.#standby?.stop();
      await this.#keeper.stop();
      await Promise.all(this.#steps.values());
      await this.#chat.stop();
      this.#o.reader.disconnect();
    })());
  }

  /** Resolves when the creator reports a platform connected (or after one lease period: run what we have). */
  #connected(creatorId: string): { promise: Promise<void> } {
    let off: () => void = () => {};
    const promise = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#o.config.leaseTtlMs);
      timer.unref();
      off = this.#o.bus.on('platform.connection', (event) => {
        if (event.creatorId === creatorId && event.state === 'connected') {
          clearTimeout(timer);
          resolve();
        }
      });
    }).finally(() => off());
    return { promise };
  }

  #step(creatorId: string, step: () => Promise<void>): void {
    const next = (this.#steps.get(creatorId) ?? Promise.resolve()).then(step).catch((error: unknown) => {
      this.#o.logger.error({ err: error, creator: creatorId }, 'a creator did not move cleanly');
    });
    this.#steps.set(creatorId, next);
  }

  /** Got a lease (owner or standby): bring the creator here to the role this process has for it now. */
  async #run(creatorId: string): Promise<void> {
    const { kernel, logger } = this.#o;
    if (this.#stopping || kernel.state !== 'running') return;
    const owner = this.#owns(creatorId);
    if (!owner && this.#standby?.held().has(creatorId) !== true) return;
    const running = kernel.creators().includes(creatorId);
    if (!running) {
      // A fresh start runs the backlog only once connected: a platform plugin learns what it may send
      // (the bot's role, its rate limits) as it joins, and a burst before that would use the wrong limits.
      const connected = owner ? this.#connected(creatorId) : undefined;
      try {
        await kernel.startCreator(creatorId, { standby: !owner });
        await connected?.promise;
      } catch (error) {
        // Its plugins reported their failures; the stream still runs for the plugins that started.
        logger.error({ err: error, creator: creatorId }, 'a creator this process took did not start cleanly');
      }
    } else if (owner && kernel.resolveFor(creatorId, creatorContextRef).standby) {
      // Connected already as a standby: active from now on, no reconnect, nothing missed.
      kernel.promoteCreator(creatorId);
    }
    if (owner) {
      await this.#chat.own(creatorId);
      logger.info({ creator: creatorId }, 'running creator (lease held)');
    } else {
      logger.info({ creator: creatorId }, 'creator connected as a standby');
    }
  }

  /**
   * A standby lease given up while this process keeps running: the creator
   * stays connected (publishing its chat, acting on nothing) until another
   * process holds the standby lease and has had `leaseTtlMs` to connect (or
   * 2 × `leaseTtlMs` passed), so the creator is never left with its owner's
   * connections alone in between — an owner dying then would lose what is
   * said until the next standby joins. Then it is parked, unless this
   * process got a role for it again meanwhile.
   */
  async #handOverStandby(creatorId: string): Promise<void> {
    const { config } = this.#o;
    const round = Math.max(10, Math.floor(config.leaseTtlMs / 3));
    const deadline = Date.now() + 2 * config.leaseTtlMs;
    let taken = false;
    while (!this.#stopping && !this.holds(creatorId) && Date.now() < deadline) {
      const holder = await this.#standby?.leases.owner(creatorId).catch(() => undefined);
      if (holder !== undefined && holder.owner !== this.owner) taken = true;
      await new Promise((resolve) => setTimeout(resolve, taken ? config.leaseTtlMs : round).unref());
      if (taken) break;
    }
    this.#step(creatorId, () => this.#stopHere(creatorId));
  }

  /** A keeper releases a lease (rebalance or shutdown): park the creator first (unless the other role keeps it), so the next holder never overlaps. */
  #park(creatorId: string): Promise<void> {
    this.#step(creatorId, () => this.#stopHere(creatorId));
    return this.#steps.get(creatorId)!;
  }

  /** A role ended: stop reading the stream if no longer owner; stop the creator unless the other role still holds it. */
  async #stopHere(creatorId: string): Promise<void> {
    const { kernel } = this.#o;
    const owner = this.#owns(creatorId);
    const standby = this.#standby?.held().has(creatorId) === true;
    // Finish (and acknowledge) what is running before the lease goes: the next owner must not run it again.
    if (!owner) await this.#chat.disown(creatorId);
    const running = kernel.state === 'running' && kernel.creators().includes(creatorId);
    if (!running) return;
    // An active creator cannot go back to standby: it restarts as one (its stream is another process's now).
    const active = !kernel.resolveFor(creatorId, creatorContextRef).standby;
    if (owner || (standby && !active)) return;
    await kernel.stopCreator(creatorId);
    this.#o.logger.info({ creator: creatorId }, 'creator parked (lease given up)');
    if (standby) await this.#run(creatorId);
  }
}
