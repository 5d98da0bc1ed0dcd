import {
  SS_ERR_ABORTED,
  StreamSuitesError,
  systemClock,
  type Clock,
  type Logger,
  type RateLimitGovernor,
} from '@streamsuites/kernel';
import { SS_ERR_TWITCH_SEND_DROPPED } from './errors.js';
import { TWITCH_CHAT_MODERATOR, TWITCH_CHAT_USER } from './limits.js';
import { splitMessage } from './split.js';

export interface ReplySenderOptions {
  /** The bot's login: rate limits are per Twitch user. */
  botLogin: string;
  governor: RateLimitGovernor;
  /** Writes one chat line (`PRIVMSG #channel :text`) to the connection; may wait for it until `signal` aborts. */
  send(channel: string, text: string, signal?: AbortSignal): Promise<void> | void;
  /** Chunks waiting for the rate limit; beyond it the oldest waiting chunk is dropped. */
  limit: number;
  logger: Logger;
  /** Pause after a msg_ratelimit NOTICE (Twitch dropped a message). */
  rateLimitPauseMs?: number;
  /** The kernel clock (default: the system clock). */
  clock?: Clock;
}

interface Pending {
  channel: string;
  text: string;
  controller: AbortController;
  /** Aborted when the channel's limit changes while it waits, so it waits under the new one. */
  retarget?: AbortController;
}

/**
 * Replies under Twitch's limits: 20 messages per 30 s for a bot that is not a
 * moderator (shared by every channel it is not a moderator in), 100 per 30 s
 * in a channel where it is moderator or broadcaster. Replies are split at 500
 * code points, sent strictly in order through the kernel RateLimitGovernor,
 * and the queue is bounded: when it overflows, the oldest waiting chunk is
 * dropped (a stale reply is worth less than a fresh one).
 */
export class ReplySender {
  readonly #options: ReplySenderOptions;
  readonly #moderatorIn = new Set<string>();
  readonly #pending: Pending[] = [];
  readonly #lastSent = new Map<string, string>();
  #pausedUntil = 0;

  constructor(options: ReplySenderOptions) {
    this.#options = options;
    options.governor.configure(this.#userKey(), TWITCH_CHAT_USER);
  }

  /** From USERSTATE: whether the bot is moderator or broadcaster in `channel`. */
  setModerator(channel: string, moderator: boolean): void {
    if (moderator === this.#moderatorIn.has(channel)) return;
    if (moderator) {
      this.#moderatorIn.add(channel);
      this.#options.governor.configure(this.#keyFor(channel), TWITCH_CHAT_MODERATOR);
    } else {
      this.#moderatorIn.delete(channel);
    }
    // Replies queued before the role was known (a fresh join) wait under the channel's limit from now on,
    // not behind the non-moderator limit every channel shares.
    for (const pending of this.#pending) if (pending.channel === channel) pending.retarget?.abort();
  }

  /** Queues a reply; resolves when every chunk was written, rejects if one was dropped. */
  async reply(channel: string, text: string, signal?: AbortSignal): Promise<void> {
    for (const chunk of splitMessage(text)) await this.#sendChunk(channel, chunk, signal);
  }

  /** Chunks waiting for the rate limit. */
  get waiting(): number {
    return this.#pending.length;
  }

  /**
   * A NOTICE about our last message: `msg_ratelimit` means Twitch dropped it
   * (we pause, then send it again); `msg_duplicate` means Twitch refused an
   * identical message within 30 s (dropped, logged).
   */
  async notice(channel: string, msgId: string): Promise<void> {
    const last = this.#lastSent.get(channel);
    if (msgId === 'msg_ratelimit' && last !== undefined) {
      this.#pausedUntil = this.#now() + (this.#options.rateLimitPauseMs ?? 30_000);
      this.#options.logger.warn({ channel }, 'Twitch rate-limited a reply; pausing sends and retrying it');
      await this.#sendChunk(channel, last);
    } else if (msgId === 'msg_duplicate') {
      this.#options.logger.warn({ channel }, 'Twitch refused a duplicate reply (same text within 30 s)');
    }
  }

  async #sendChunk(channel: string, text: string, signal?: AbortSignal): Promise<void> {
    // Free capacity and nobody waiting: send now, without queuing.
    if (this.#pausedUntil <= this.#now() && this.#options.governor.tryTake(this.#keyFor(channel))) {
      this.#lastSent.set(channel, text);
      await this.#options.send(channel, text, signal);
      return;
    }
    const pending: Pending = { channel, text, controller: new AbortController() };
    const onAbort = () => pending.controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#pending.push(pending);
    if (this.#pending.length > this.#options.limit) {
      const oldest = this.#pending.shift()!;
      oldest.controller.abort(new SS_ERR_TWITCH_SEND_DROPPED(oldest.channel, this.#options.limit));
    }
    try {
      await this.#waitForPause(pending.controller.signal);
      await this.#acquire(pending);
      this.#remove(pending);
      this.#lastSent.set(channel, text);
      await this.#options.send(channel, text, pending.controller.signal);
    } catch (error) {
      this.#remove(pending);
      const reason = pending.controller.signal.reason;
      throw reason instanceof StreamSuitesError && !SS_ERR_ABORTED.is(reason) ? reason : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Waits for the channel's current limit; starts over under the new one when the bot's role there changes. */
  async #acquire(pending: Pending): Promise<void> {
    for (;;) {
      const retarget = new AbortController();
      pending.retarget = retarget;
      try {
        await this.#options.governor.acquire(this.#keyFor(pending.channel), { signal: AbortSignal.any([pending.controller.signal, retarget.signal]) });
        return;
      } catch (error) {
        if (!retarget.signal.aborted || pending.controller.signal.aborted) throw error;
      } finally {
        pending.retarget = undefined;
      }
    }
  }

  async #waitForPause(signal: AbortSignal): Promise<void> {
    const wait = this.#pausedUntil - this.#now();
    if (wait <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, wait);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    });
  }

  #remove(pending: Pending): void {
    const index = this.#pending.indexOf(pending);
    if (index >= 0) this.#pending.splice(index, 1);
  }

  #now(): number {
    return (this.#options.clock ?? systemClock).now();
  }

  #userKey(): string {
    return `twitch:send:${this.#options.botLogin}`;
  }

  #keyFor(channel: string): string {
    return this.#moderatorIn.has(channel) ? `twitch:send:${this.#options.botLogin}:mod:${channel}` : this.#userKey();
  }
}
