/** How a creator's chat is read: over IRC, EventSub, or both (redundancy across transports). */
export interface ChatTransportChoice {
  /** IRC read connections (0: none). */
  irc: number;
  /** Chat over EventSub. */
  eventsub: boolean;
  /** Why, for the log. */
  reason: string;
}

export interface ChooseTransportOptions {
  mode: 'auto' | 'irc' | 'eventsub';
  /** IRC read connections asked for (`redundancy`). */
  redundancy: number;
  /** EventSub needs a client id (Helix); without it `auto` is IRC without asking anyone. */
  clientId?: string;
  /** The token's scopes, asked only when needed (`auto` with a client id). Rejects when the token cannot be validated. */
  scopes: () => Promise<readonly string[]>;
}

/**
 * `irc` and `eventsub` are what they say. `auto` reads over EventSub when the
 * token may (`user:read:chat`) and a client id is configured, and IRC
 * otherwise; with `redundancy` ≥ 2 it keeps one IRC connection beside
 * EventSub, so either transport dropping loses nothing (one event per
 * message whichever saw it first). A token that cannot be validated falls
 * back to IRC.
 */
export async function chooseChatTransport(o: ChooseTransportOptions): Promise<ChatTransportChoice> {
  if (o.mode === 'irc') return { irc: o.redundancy, eventsub: false, reason: 'transport: irc' };
  if (o.mode === 'eventsub') return { irc: 0, eventsub: true, reason: 'transport: eventsub' };
  if (o.clientId === undefined) return { irc: o.redundancy, eventsub: false, reason: 'auto: no clientId, so IRC' };
  let scopes: readonly string[];
  try {
    scopes = await o.scopes();
  } catch (error) {
    return { irc: o.redundancy, eventsub: false, reason: `auto: the token could not be validated (${(error as Error).message}), so IRC` };
  }
  if (!scopes.includes('user:read:chat')) return { irc: o.redundancy, eventsub: false, reason: 'auto: the token lacks user:read:chat, so IRC' };
  return o.redundancy >= 2
    ? { irc: 1, eventsub: true, reason: 'auto: EventSub (user:read:chat) with one IRC connection beside it' }
    : { irc: 0, eventsub: true, reason: 'auto: EventSub (user:read:chat)' };
}
