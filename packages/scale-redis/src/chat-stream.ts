import type { ChatMessage, Logger, SubmitOptions } from '@streamsuites/kernel';
import type { Redis } from 'ioredis';
import { SS_ERR_SCALE_REDIS_UNAVAILABLE } from './errors.js';

/*
 * Chat through Redis Streams: every process that receives a creator's chat
 * publishes each message once per platform message id; the process holding
 * the creator's lease reads the creator's stream in a consumer group and runs
 * the messages through its triggers. A message is acknowledged only after
 * its actions finished, so a process killed mid-message leaves it pending,
 * and the next owner claims it (XAUTOCLAIM) and runs it as a redelivery: the
 * actions the action journal records as done are skipped, the rest run. What
 * is pending is exactly what may not have finished; acknowledgements are batched (one XACK
 * per stream per tick). An entry whose creator does not run here (actively)
 * when it comes up is left pending for the process that runs it.
 *
 *   <prefix>chat:{<creatorId>}                          the stream (entries: k = message key, m = JSON)
 *   <prefix>chat-seen:{<creatorId>}:<platform>:<id>     publish dedupe (PX dedupeTtlMs)
 */

/** Thrown by a `submit` that cannot run the message here now (its creator is stopping): the entry stays pending. */
export class NotRunningHere extends Error {
  constructor(creatorId: string) {
    super(`creator "${creatorId}" does not run here now`);
    this.name = 'NotRunningHere';
  }
}

// Publish once per message key: receivers of the same chat (a reconnect's overlap, a standby) add it only once.
const PUBLISH = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return false end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'k', ARGV[3], 'm', ARGV[4])`;
type StreamCommands = {
  ssChatPublish(seen: string, stream: string, ttlMs: number, maxLen: number, key: string, json: string): Promise<string | null>;
};

export interface ChatStreamOptions {
  /** Commands (publish, acknowledge, claim). */
  redis: Redis;
  /** A connection of its own for the blocking reads (it must not be shared: a blocked connection queues everything else). */
  reader: Redis;
  /** This process's consumer name (unique per process). */
  consumer: string;
  /**
   * Runs one message through the triggers; resolves when its actions
   * finished. `redelivered`: the entry was claimed from a consumer that had
   * it (a dead process), so some of its actions may have run already.
   */
  submit(message: ChatMessage, options: SubmitOptions): Promise<void>;
  prefix?: string;
  /** Consumer group name (default `triggers`). */
  group?: string;
  /** Entries kept per creator stream, approximately (default 10000). */
  maxLen?: number;
  /** How long a message id is remembered for dedupe (default 10 minutes). */
  dedupeTtlMs?: number;
  /** Entries run at once at most, over every creator (default 1000): reading waits below it, so a backlog stays in Redis. */
  maxInFlight?: number;
  /** Longest blocking read (default 1000 ms); a newly owned creator interrupts it at once. */
  blockMs?: number;
  /**
   * Entries pending at least this long are claimed (default 1000 ms). Not 0:
   * an entry just delivered to this process, whose read reply is still on its
   * way, must not be claimed and run a second time.
   */
  claimIdleMs?: number;
  logger?: Pick<Logger, 'warn' | 'error' | 'debug'>;
}

export interface ChatStreamCounters {
  /** Messages this process added to a stream. */
  published: number;
  /** Messages another receiver had added already (dropped here). */
  duplicates: number;
  /** Entries run through the triggers here. */
  processed: number;
  /** Entries claimed from a consumer that is gone. */
  claimed: number;
  /** Claimed entries run here (a process died or gave the creator up before acknowledging them). */
  redelivered: number;
  /** Entries left pending because their creator was not running here (stopping, handed over). */
  deferred: number;
  /** Entries whose run threw (acknowledged anyway, so one bad message cannot block a creator). */
  failed: number;
  /** Entries that could not be read back as a chat message. */
  malformed: number;
}

interface Owned {
  stream: string;
  /** Entries being run now (a re-claim must not start them twice). */
  inFlight: Set<string>;
  /** Called when inFlight empties (disown waits for it). */
  drained?: () => void;
  /** Given up on: entries still running are left pending (unacknowledged) for the next owner. */
  abandoned?: boolean;
  /** Finished entries waiting for this tick's XACK, with what resolves when it is sent. */
  acks: { ids: string[]; sent: Promise<void> } | undefined;
}

/** The chat side of the scale-out bridge (see the key layout above). */
export class ChatStream {
  readonly #redis: Redis & StreamCommands;
  readonly #reader: Redis;
  readonly #o: Required<Omit<ChatStreamOptions, 'logger' | 'redis' | 'reader'>> & Pick<ChatStreamOptions, 'logger'>;
  readonly #owned = new Map<string, Owned>();
  readonly #counters: ChatStreamCounters = { published: 0, duplicates: 0, processed: 0, claimed: 0, redelivered: 0, deferred: 0, failed: 0, malformed: 0 };
  readonly #groupsMade = new Set<string>();
  #readerId: number | undefined;
  #loop: Promise<void> | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  /** Entries being run now, over every creator (bounded by maxInFlight). */
  #running = 0;
  #room: (() => void) | undefined;

  constructor(options: ChatStreamOptions) {
    const client = options.redis as Redis & Partial<StreamCommands>;
    if (client.ssChatPublish === undefined) {
      options.redis.defineCommand('ssChatPublish', { numberOfKeys: 2, lua: PUBLISH });
    }
    this.#redis = client as Redis & StreamCommands;
    this.#reader = options.reader;
    this.#o = {
      consumer: options.consumer,
      submit: options.submit,
      prefix: options.prefix ?? 'streamsuites:',
      group: options.group ?? 'triggers',
      maxLen: options.maxLen ?? 10_000,
      dedupeTtlMs: options.dedupeTtlMs ?? 600_000,
      blockMs: options.blockMs ?? 1000,
      maxInFlight: options.maxInFlight ?? 1000,
      claimIdleMs: options.claimIdleMs ?? 1000,
      logger: options.logger,
    };
  }

  counters(): ChatStreamCounters {
    return { ...this.#counters };
  }

  /** Creators whose stream this process reads now. */
  owned(): string[] {
    return [...this.#owned.keys()].sort();
  }

  streamKey(creatorId: string): string {
    return `${this.#o.prefix}chat:{${creatorId}}`;
  }

  /** Adds a received message to its creator's stream, unless a receiver already did. Resolves true when this call added it. */
  async publish(message: ChatMessage): Promise<boolean> {
    const key = messageKey(message);
    let id: string | null;
    try {
      id = await this.#redis.ssChatPublish(
        `${this.#o.prefix}chat-seen:{${message.creatorId}}:${key}`,
        this.streamKey(message.creatorId),
        this.#o.dedupeTtlMs,
        this.#o.maxLen,
        key,
        JSON.stringify(message),
      );
    } catch (error) {
      throw new SS_ERR_SCALE_REDIS_UNAVAILABLE('publishing a chat message', (error as Error).message, { cause: error });
    }
    if (id === null) this.#counters.duplicates++;
    else this.#counters.published++;
    return id !== null;
  }

  /**
   * Starts reading a creator's stream: makes the consumer group (from the
   * stream's start, so what was published before anyone owned it is run),
   * runs what a previous owner left pending, then reads new entries.
   */
  async own(creatorId: string): Promise<void> {
    if (this.#owned.has(creatorId)) return;
    const owned: Owned = { stream: this.streamKey(creatorId), inFlight: new Set(), acks: undefined };
    await this.#ensureGroup(owned.stream);
    this.#owned.set(creatorId, owned);
    await this.claim(creatorId);
    this.#start();
    this.#interrupt();
  }

  /**
   * Stops reading a creator's stream and resolves once the entries being run
   * finished and were acknowledged — or after `drainMs`, leaving the ones
   * still running unacknowledged, so the next owner runs them (their creator
   * is about to stop here, which aborts their actions).
   */
  async disown(creatorId: string, drainMs = 5000): Promise<void> {
    const owned = this.#owned.get(creatorId);
    if (owned === undefined) return;
    this.#owned.delete(creatorId);
    this.#interrupt();
    if (owned.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      owned.drained = resolve;
      timer = setTimeout(() => {
        owned.abandoned = true;
        resolve();
      }, drainMs);
    });
    clearTimeout(timer);
  }

  /**
   * Claims and runs the entries other consumers left pending on an owned
   * creator's stream (a process that died mid-message). Called when the
   * creator is taken over, and again on every lease round.
   */
  async claim(creatorId: string): Promise<number> {
    const owned = this.#owned.get(creatorId);
    if (owned === undefined) return 0;
    let cursor = '0-0';
    let claimed = 0;
    do {
      const reply = (await this.#redis.xautoclaim(owned.stream, this.#o.group, this.#o.consumer, this.#o.claimIdleMs, cursor, 'COUNT', 200)) as [
        string,
        [string, string[]][],
        string[]?,
      ];
      cursor = reply[0];
      for (const [entryId, fields] of reply[1]) {
        if (owned.inFlight.has(entryId)) continue;
        claimed++;
        this.#counters.claimed++;
        void this.#run(creatorId, owned, entryId, fields, true);
      }
    } while (cursor !== '0-0' && this.#owned.get(creatorId) === owned);
    return claimed;
  }

  /** Stops reading; resolves once the read loop ended (entries being run still finish on their own). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#room?.();
    await Promise.all([...this.#owned.keys()].map((creatorId) => this.disown(creatorId)));
    this.#interrupt();
    await this.#loop;
  }

  async #ensureGroup(stream: string): Promise<void> {
    if (this.#groupsMade.has(stream)) return;
    try {
      await this.#redis.xgroup('CREATE', stream, this.#o.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) {
        throw new SS_ERR_SCALE_REDIS_UNAVAILABLE('creating a chat consumer group', (error as Error).message, { cause: error });
      }
    }
    this.#groupsMade.add(stream);
  }

  #start(): void {
    this.#loop ??= this.#readLoop().catch((error: unknown) => this.#o.logger?.error({ err: error }, 'the chat stream reader stopped'));
  }

  /** Ends a blocking read early (a creator was added or removed, or stop()). */
  #interrupt(): void {
    this.#wake?.();
    if (this.#readerId !== undefined) void this.#redis.client('UNBLOCK', this.#readerId).catch(() => undefined);
  }

  async #readLoop(): Promise<void> {
    this.#readerId = Number(await this.#reader.client('ID'));
    while (!this.#stopped) {
      const owned = [...this.#owned];
      if (owned.length === 0) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      // Backpressure: read only as much as may run at once, so a backlog never piles up in memory.
      while (this.#running >= this.#o.maxInFlight && !this.#stopped) await new Promise<void>((resolve) => (this.#room = resolve));
      if (this.#stopped) return;
      const streams = owned.map(([, o]) => o.stream);
      const count = Math.max(1, Math.min(500, Math.floor((this.#o.maxInFlight - this.#running) / streams.length)));
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await this.#reader.xreadgroup(
          'GROUP',
          this.#o.group,
          this.#o.consumer,
          'COUNT',
          count,
          'BLOCK',
          this.#o.blockMs,
          'STREAMS',
          ...streams,
          ...streams.map(() => '>'),
        )) as [string, [string, string[]][]][] | null;
      } catch (error) {
        if (this.#stopped) return;
        // A group deleted under us (a FLUSHALL): make it again; anything else, wait a moment and retry.
        if (String((error as Error).message).startsWith('NOGROUP')) this.#groupsMade.clear();
        this.#o.logger?.warn({ err: error }, 'reading the chat streams failed; retrying');
        for (const stream of streams) await this.#ensureGroup(stream).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (reply === null) continue;
      for (const [stream, entries] of reply) {
        const entry = owned.find(([, o]) => o.stream === stream);
        if (entry === undefined) continue;
        const [creatorId, o] = entry;
        // Disowned while the read was under way: leave them pending for the next owner to claim.
        if (this.#owned.get(creatorId) !== o) continue;
        for (const [entryId, fields] of entries) if (!o.inFlight.has(entryId)) void this.#run(creatorId, o, entryId, fields, false);
      }
    }
  }

  /**
   * Acknowledges an entry with the others finished in this tick (one XACK
   * per stream). An entry is acknowledged only once it ran, so what is still
   * pending after a crash is exactly what may not have finished.
   */
  #ack(owned: Owned, entryId: string): Promise<void> {
    if (owned.acks === undefined) {
      const batch: { ids: string[]; sent: Promise<void> } = { ids: [], sent: Promise.resolve() };
      batch.sent = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        owned.acks = undefined;
        await this.#redis.xack(owned.stream, this.#o.group, ...batch.ids);
      });
      owned.acks = batch;
    }
    owned.acks.ids.push(entryId);
    return owned.acks.sent;
  }

  /** Runs one entry, then acknowledges it. */
  async #run(creatorId: string, owned: Owned, entryId: string, fields: string[], redelivered: boolean): Promise<void> {
    const { message } = parseEntry(fields, creatorId);
    owned.inFlight.add(entryId);
    this.#running++;
    try {
      if (message === undefined) {
        this.#counters.malformed++;
        this.#o.logger?.warn({ creator: creatorId, entryId }, 'a chat stream entry is not a chat message; acknowledged without running it');
      } else {
        if (redelivered) this.#counters.redelivered++;
        try {
          await this.#o.submit(message, redelivered ? { redelivered } : {});
          this.#counters.processed++;
        } catch (error) {
          if (error instanceof NotRunningHere) {
            // Not ours to run (any more): the next owner claims it.
            this.#counters.deferred++;
            return;
          }
          this.#counters.failed++;
          this.#o.logger?.error({ err: error, creator: creatorId, messageId: message.id }, 'running a chat message from the stream failed');
        }
      }
      // Given up while it ran (its creator stopped, its actions aborted): the next owner runs it again.
      if (!owned.abandoned) await this.#ack(owned, entryId);
    } catch (error) {
      // Left pending: the next claim round runs it again (it may have run: the one case besides a crash where a message repeats).
      this.#o.logger?.warn({ err: error, creator: creatorId, entryId }, 'could not acknowledge a chat stream entry');
    } finally {
      owned.inFlight.delete(entryId);
      if (owned.inFlight.size === 0) owned.drained?.();
      this.#running--;
      if (this.#room !== undefined && this.#running <= this.#o.maxInFlight / 2) {
        const room = this.#room;
        this.#room = undefined;
        room();
      }
    }
  }
}

/** `<platform>:<id>`: what identifies a message across receivers. */
export function messageKey(message: Pick<ChatMessage, 'platform' | 'id'>): string {
  return `${message.platform}:${message.id}`;
}

function parseEntry(fields: string[], creatorId: string): { key: string | undefined; message: ChatMessage | undefined } {
  let key: string | undefined;
  let json: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'k') key = fields[i + 1];
    else if (fields[i] === 'm') json = fields[i + 1];
  }
  if (json === undefined) return { key, message: undefined };
  try {
    const message = JSON.parse(json) as ChatMessage;
    const ok = typeof message === 'object' && message !== null && message.creatorId === creatorId && typeof message.id === 'string' && typeof message.text === 'string';
    return { key, message: ok ? message : undefined };
  } catch {
    return { key, message: undefined };
  }
}
