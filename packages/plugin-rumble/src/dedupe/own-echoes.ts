import type { RumbleChatEntry } from '../types.js';

interface SentLine {
  text: string;
  at: number;
  /** Sources that already returned this line once. */
  echoed: Set<RumbleChatEntry['source']>;
}

/**
 * The replies typed in browser mode, until they come back. Rumble shows the
 * bot's own message in the page and, a poll later, in the API: read as chat
 * it would be the bot talking to itself (and a reply naming a command would
 * fire it). An entry from the bot's account (`botUsername`, or any account
 * when it is not configured) with the text of a line sent in the last
 * `windowMs` is the echo and is dropped — once per line and per source, so
 * someone else repeating it later is still read.
 */
export class OwnEchoes {
  readonly #sent: SentLine[] = [];
  readonly #windowMs: number;
  readonly #bot: string | undefined;

  constructor(options: { botUsername?: string; windowMs?: number } = {}) {
    this.#windowMs = options.windowMs ?? 5 * 60_000;
    this.#bot = options.botUsername?.toLowerCase();
  }

  sent(text: string, now: number): void {
    this.#forget(now);
    this.#sent.push({ text: text.trim(), at: now, echoed: new Set() });
  }

  /** True (and counted) when the entry is the echo of a line the bot sent. */
  isEcho(entry: RumbleChatEntry, now: number): boolean {
    this.#forget(now);
    if (entry.rant !== undefined) return false;
    if (this.#bot !== undefined && entry.username.toLowerCase() !== this.#bot) return false;
    const text = entry.text.trim();
    const line = this.#sent.find((s) => s.text === text && !s.echoed.has(entry.source));
    if (line === undefined) return false;
    line.echoed.add(entry.source);
    return true;
  }

  #forget(now: number): void {
    while (this.#sent.length > 0 && now - this.#sent[0]!.at > this.#windowMs) this.#sent.shift();
  }
}
