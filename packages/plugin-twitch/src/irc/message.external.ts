/**
 * Raw IRC wire shapes (STYLE item 9: raw platform payloads stay at the edge).
 * Never re-exported from `src/index.ts` as part of the bus contract: only the
 * normalized kernel types go on the bus.
 */

/** The `nick!user@host` source of a line. Server lines (`:tmi.twitch.tv`) have only `host`. */
export interface IrcPrefix {
  nick?: string;
  user?: string;
  host?: string;
}

/**
 * One parsed IRC line. Tag values are already IRCv3-unescaped; a tag without
 * `=` has the value `''`. `params` are the middle parameters; `trailing` is
 * the final `:`-introduced parameter, `undefined` when the line has none
 * (`''` when it is present but empty).
 */
export interface IrcMessage {
  /** Tag name → unescaped value. A plain object with own keys only (`__proto__` is never set). */
  tags: Record<string, string>;
  prefix: IrcPrefix | undefined;
  /** Command as sent (`PRIVMSG`, `001` ...), uppercased for letters. */
  command: string;
  params: string[];
  trailing: string | undefined;
}
