import { randomUUID } from 'node:crypto';
import type { EventBus, EventName, Leadership, Logger } from '@streamsuites/kernel';
import type { Redis } from 'ioredis';

/*
 * The bus bridge: chosen bus events of every process reach the bus of the
 * process holding one duty (by default `exports`, so the exports writer sees
 * the whole deployment), once each.
 *
 *   <prefix>events                    the stream (entries: i = event id, n = name, o = origin process, p = JSON payload)
 *   <prefix>event-done:<event id>     set when the holder re-emitted it (PX doneTtlMs)
 *
 * Every process publishes the chosen events its own plugins emit (XADD; never
 * one the bridge re-emitted). The duty holder reads the stream in consumer
 * group `bridge` and re-emits each event from another process on its bus,
 * then acknowledges it; its own events are on its bus already (acknowledged
 * without re-emitting). A holder that dies leaves what it had taken pending:
 * the next holder claims it (XAUTOCLAIM), and the done key — set right
 * before the re-emit, keyed by the event id — keeps a redelivered event from
 * being re-emitted twice.
 */

export interface EventBridgeOptions {
  /** Commands (publish, acknowledge, claim, done keys). */
  redis: Redis;
  /** A connection of its own for the blocking reads. */
  reader: Redis;
  bus: EventBus;
  leadership: Leadership;
  /** This process's name (consumer and origin). */
  process: string;
  /** Bus events to bridge. */
  events: readonly string[];
  /** The duty whose holder receives the events (default `exports`). */
  duty?: string;
  prefix?: string;
  /** Entries kept in the stream, approximately (default 10000). */
  maxLen?: number;
  /** How long a re-emitted event id is remembered (default one hour). */
  doneTtlMs?: number;
  /** Longest blocking read (default 1000 ms). */
  blockMs?: number;
  /** Entries pending at least this long are claimed from a holder that is gone (default 1000 ms). */
  claimIdleMs?: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
}

export interface EventBridgeCounters {
  /** Events this process added to the stream. */
  published: number;
  /** Events from other processes re-emitted on this process's bus. */
  delivered: number;
  /** Redelivered events that had been re-emitted already (not again). */
  duplicates: number;
  /** Entries claimed from a holder that is gone. */
  claimed: number;
  /** Entries that could not be read back (acknowledged, dropped). */
  malformed: number;
  /** Events that could not be published (Redis unreachable). */
  publishFailures: number;
}

/** Payloads the bridge re-emitted: never published again (no echo between processes). */
const bridged = new WeakSet<object>();

/** The bus bridge (see the key layout above). */
export class EventBridge {
  readonly #o: Required<Omit<EventBridgeOptions, 'logger'>> & Pick<EventBridgeOptions, 'logger'>;
  readonly #counters: EventBridgeCounters = { published: 0, delivered: 0, duplicates: 0, claimed: 0, malformed: 0, publishFailures: 0 };
  readonly #off: (() => void)[] = [];
  #holding = false;
  #loop: Promise<void> | undefined;
  #readerId: number | undefined;
  #groupMade = false;
  #stopped = false;

  constructor(options: EventBridgeOptions) {
    this.#o = {
      duty: 'exports',
      prefix: 'streamsuites:',
      maxLen: 10_000,
      doneTtlMs: 3_600_000,
      blockMs: 1000,
      claimIdleMs: 1000,
      ...options,
    };
  }

  get streamKey(): string {
    return `${this.#o.prefix}events`;
  }

  counters(): EventBridgeCounters {
    return { ...this.#counters };
  }

  /** Publishes the chosen events from now on, and reads the stream while this process holds the duty. */
  start(): void {
    for (const name of this.#o.events) {
      this.#off.push(this.#o.bus.on(name as EventName, (payload: unknown) => this.#publish(name, payload)));
    }
    this.#off.push(
      this.#o.leadership.watch(this.#o.duty, (holds) => {
        this.#holding = holds;
        if (holds) {
          this.#loop ??= this.#read()
            .catch((error: unknown) => this.#o.logger?.error({ err: error }, 'the bridged events reader stopped'))
            .finally(() => (this.#loop = undefined));
        }
        else this.#interrupt();
      }),
    );
  }

  /** Stops publishing and reading, and closes the reader connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const off of this.#off.splice(0)) off();
    this.#interrupt();
    await this.#loop;
    this.#o.reader.disconnect();
  }

  #publish(name: string, payload: unknown): void {
    if (typeof payload === 'object' && payload !== null && bridged.has(payload)) return;
    let json: string;
    try {
      json = JSON.stringify(payload ?? null);
    } catch (error) {
      this.#counters.publishFailures++;
      this.#o.logger?.warn({ err: error, event: name }, 'a bridged event is not JSON; not published');
      return;
    }
    this.#o.redis
      .xadd(this.streamKey, 'MAXLEN', '~', this.#o.maxLen, '*', 'i', randomUUID(), 'n', name, 'o', this.#o.process, 'p', json)
      .then(
        () => void this.#counters.published++,
        (error: unknown) => {
          this.#counters.publishFailures++;
          this.#o.logger?.warn({ err: error, event: name }, 'could not publish a bridged event to Redis');
        },
      );
  }

  #interrupt(): void {
    if (this.#readerId !== undefined) void this.#o.redis.client('UNBLOCK', this.#readerId).catch(() => undefined);
  }

  async #ensureGroup(): Promise<void> {
    if (this.#groupMade) return;
    try {
      // From the stream's end: events from before any holder existed have no one to go to.
      await this.#o.redis.xgroup('CREATE', this.streamKey, 'bridge', '$', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
    }
    this.#groupMade = true;
  }

  /** Reads while the duty is held: first what a previous holder left pending, then new entries. */
  async #read(): Promise<void> {
    let claimedAt = 0;
    while (this.#holding && !this.#stopped) {
      try {
        this.#readerId ??= Number(await this.#o.reader.client('ID'));
        await this.#ensureGroup();
        if (Date.now() - claimedAt >= this.#o.claimIdleMs) {
          claimedAt = Date.now();
          await this.#claim();
        }
        const reply = (await this.#o.reader.xreadgroup('GROUP', 'bridge', this.#o.process, 'COUNT', 200, 'BLOCK', this.#o.blockMs, 'STREAMS', this.streamKey, '>')) as
          | [string, [string, string[]][]][]
          | null;
        for (const [, entries] of reply ?? []) for (const [entryId, fields] of entries) await this.#deliver(entryId, fields);
      } catch (error) {
        if (this.#stopped || !this.#holding) return;
        if (String((error as Error).message).startsWith('NOGROUP')) this.#groupMade = false;
        this.#o.logger?.warn({ err: error }, 'reading the bridged events failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Takes over the entries a holder that is gone had taken and not acknowledged. */
  async #claim(): Promise<void> {
    let cursor = '0-0';
    do {
      const reply = (await this.#o.redis.xautoclaim(this.streamKey, 'bridge', this.#o.process, this.#o.claimIdleMs, cursor, 'COUNT', 200)) as [string, [string, string[]][]];
      cursor = reply[0];
      for (const [entryId, fields] of reply[1]) {
        this.#counters.claimed++;
        await this.#deliver(entryId, fields);
      }
    } while (cursor !== '0-0' && this.#holding && !this.#stopped);
  }

  /** Re-emits one entry (unless it is ours, or was re-emitted before), then acknowledges it. */
  async #deliver(entryId: string, fields: string[]): Promise<void> {
    const entry = parseEntry(fields);
    if (entry === undefined) {
      this.#counters.malformed++;
      this.#o.logger?.warn({ entryId }, 'a bridged event entry could not be read; dropped');
    } else if (entry.origin !== this.#o.process) {
      // The done key first: a holder dying between it and the re-emit loses that one event rather than repeating it.
      const first = await this.#o.redis.set(`${this.#o.prefix}event-done:${entry.id}`, '1', 'PX', this.#o.doneTtlMs, 'NX');
      if (first === null) this.#counters.duplicates++;
      else {
        if (typeof entry.payload === 'object' && entry.payload !== null) bridged.add(entry.payload);
        this.#counters.delivered++;
        this.#o.bus.emit(entry.name as EventName, entry.payload as never);
      }
    }
    await this.#o.redis.xack(this.streamKey, 'bridge', entryId);
  }
}

function parseEntry(fields: string[]): { id: string; name: string; origin: string; payload: unknown } | undefined {
  const get = (key: string) => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === key) return fields[i + 1];
    return undefined;
  };
  const [id, name, origin, json] = [get('i'), get('n'), get('o'), get('p')];
  if (id === undefined || name === undefined || origin === undefined || json === undefined) return undefined;
  try {
    return { id, name, origin, payload: JSON.parse(json) as unknown };
  } catch {
    return undefined;
  }
}
