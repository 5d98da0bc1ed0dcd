/** How long a sent line waits for its echo; one that never comes (the other connection was down) is forgotten. */
const ECHO_WINDOW_MS = 30_000;
/** More sent lines than Twitch lets a bot send in the window (100 per 30 s as moderator), with room. */
const MAX_PENDING = 1000;

/**
 * The lines a creator's connections sent, until their echo comes back. Twitch
 * does not echo a PRIVMSG to the connection that sent it, but does deliver it
 * to the account's other connections — with two read connections, each reply
 * would come back as chat from the bot. A message from the bot's login whose
 * text is one of these is the echo and is dropped (once per line sent); the
 * broadcaster typing on the bot's account is still read, unless they type
 * exactly what the bot said within 30 s.
 */
export class OwnEchoes {
  readonly #pending: { text: string; at: number }[] = [];

  /** Records a line as sent on the wire (after chatSafe). */
  sent(text: string, at: number): void {
    this.#forget(at);
    if (this.#pending.length >= MAX_PENDING) this.#pending.shift();
    this.#pending.push({ text, at });
  }

  /** True when `text` (from the bot's login) is the echo of a line sent: it is forgotten, so a second copy is chat again. */
  consume(text: string, at: number): boolean {
    this.#forget(at);
    const index = this.#pending.findIndex((entry) => entry.text === text);
    if (index < 0) return false;
    this.#pending.splice(index, 1);
    return true;
  }

  #forget(now: number): void {
    while (this.#pending.length > 0 && now - this.#pending[0]!.at > ECHO_WINDOW_MS) this.#pending.shift();
  }
}
