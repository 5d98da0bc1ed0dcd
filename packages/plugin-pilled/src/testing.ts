/**
 * @streamsuites/plugin-pilled/testing — an in-memory PilledTransport for
 * tests, demos and as a worked example of the contract; never for production.
 * Nothing in it touches the network.
 */
import type { PilledConnectTarget, PilledConnection, PilledItem, PilledTransport } from './transport.js';

/** One open connection of the scripted transport, as a test drives it. */
export interface ScriptedPilledFeed {
  readonly target: PilledConnectTarget;
  /** Delivers items to the plugin, in order (anything: invalid items test the plugin's checks). */
  push(...items: unknown[]): void;
  /** Ends the feed as a transport would when Pilled hung up (`error`: the iteration throws it). */
  end(error?: Error): void;
  /** Lines the plugin sent through this connection's send(). */
  readonly sent: readonly string[];
  readonly closed: boolean;
}

export interface ScriptedPilledTransport extends PilledTransport {
  /** Every connection opened so far, oldest first. */
  readonly feeds: readonly ScriptedPilledFeed[];
  /** The latest connection of a creator. */
  feed(creatorId: string): ScriptedPilledFeed | undefined;
  /** Resolves with a creator's connection once it is open. */
  connected(creatorId: string): Promise<ScriptedPilledFeed>;
}

export interface ScriptedPilledTransportOptions {
  name?: string;
  /** Give connections no send() (a read-only transport). */
  readOnly?: boolean;
  /** Make connect() fail for these creators. */
  refuse?: readonly string[];
}

/** An in-memory transport whose feeds a test fills with push(). */
export function createScriptedPilledTransport(options: ScriptedPilledTransportOptions = {}): ScriptedPilledTransport {
  const feeds: Feed[] = [];
  const waiting = new Map<string, ((feed: Feed) => void)[]>();
  return {
    name: options.name ?? 'scripted',
    feeds,
    feed: (creatorId) => feeds.filter((f) => f.target.creatorId === creatorId).at(-1),
    connected(creatorId) {
      const open = feeds.find((f) => f.target.creatorId === creatorId && !f.closed);
      if (open !== undefined) return Promise.resolve(open);
      return new Promise((resolve) => waiting.set(creatorId, [...(waiting.get(creatorId) ?? []), resolve]));
    },
    async connect(target) {
      if (options.refuse?.includes(target.creatorId)) throw new Error(`scripted refusal for ${target.creatorId}`);
      const feed = new Feed(target, options.readOnly !== true);
      feeds.push(feed);
      for (const resolve of waiting.get(target.creatorId) ?? []) resolve(feed);
      waiting.delete(target.creatorId);
      return feed.connection;
    },
  };
}

/** A queue the plugin iterates and the test pushes into. */
class Feed implements ScriptedPilledFeed {
  readonly sent: string[] = [];
  closed = false;
  readonly connection: PilledConnection;
  readonly #queue: unknown[] = [];
  #ended: { error?: Error } | undefined;
  #wake: (() => void) | undefined;

  constructor(readonly target: PilledConnectTarget, canSend: boolean) {
    const feed = this;
    this.connection = {
      [Symbol.asyncIterator]: () => feed.#iterate(),
      close: async () => {
        feed.closed = true;
        feed.end();
      },
      ...(canSend ? { send: async (text: string) => void feed.sent.push(text) } : {}),
    };
  }

  push(...items: unknown[]): void {
    this.#queue.push(...items);
    this.#wake?.();
  }

  end(error?: Error): void {
    this.#ended ??= error === undefined ? {} : { error };
    this.#wake?.();
  }

  async *#iterate(): AsyncGenerator<PilledItem> {
    for (;;) {
      if (this.#queue.length > 0) {
        yield this.#queue.shift() as PilledItem;
        continue;
      }
      if (this.#ended !== undefined) {
        if (this.#ended.error !== undefined) throw this.#ended.error;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
