import type { IrcMessage } from '../irc/message.external.js';
import { parseIrcLine } from '../irc/parse.js';
import { normalizePrivmsg, normalizeUsernotice } from './chat.js';
import { normalizeTaggedPrivmsg } from './privmsg-line.js';
import { normalizeClearchat, normalizeClearmsg, normalizeRoomstate } from './moderation.js';
import { normalizeGlobalUserstate, normalizeNotice, normalizeUserstate } from './state.js';
import { channelOf } from './tags.js';
import type { NormalizeContext, NormalizedLine } from './types.js';

/**
 * What a parsed IRC line means. Pure and total: never throws; lines we do not
 * use come back as `{ kind: 'ignored', reason }`, and a line the normalizer
 * throws on (a bug) as `{ kind: 'failed', reason }`.
 */
export function normalizeIrcMessage(msg: IrcMessage, ctx: NormalizeContext): NormalizedLine {
  try {
    switch (msg.command) {
      case 'PRIVMSG': return normalizePrivmsg(msg, ctx);
      case 'USERNOTICE': return normalizeUsernotice(msg, ctx);
      case 'CLEARMSG': return normalizeClearmsg(msg, ctx);
      case 'CLEARCHAT': return normalizeClearchat(msg, ctx);
      case 'ROOMSTATE': return normalizeRoomstate(msg, ctx);
      case 'USERSTATE': return normalizeUserstate(msg);
      case 'GLOBALUSERSTATE': return normalizeGlobalUserstate(msg);
      case 'NOTICE': return normalizeNotice(msg);
      case 'PING': return { kind: 'ping', token: msg.trailing ?? msg.params[0] ?? 'tmi.twitch.tv' };
      case 'PONG': return { kind: 'pong', token: msg.trailing ?? msg.params[1] ?? msg.params[0] ?? '' };
      case 'RECONNECT': return { kind: 'reconnect' };
      case '001': return { kind: 'welcome', login: msg.params[0] ?? '' };
      case 'JOIN':
      case 'PART': {
        const channel = channelOf(msg.params[0] ?? msg.trailing);
        const login = msg.prefix?.nick;
        if (channel === undefined || login === undefined) return { kind: 'ignored', reason: `${msg.command} without a channel or nick`, command: msg.command };
        return { kind: msg.command === 'JOIN' ? 'join' : 'part', channel, login };
      }
      default:
        return { kind: 'ignored', reason: 'command not used', command: msg.command };
    }
  } catch (error) {
    // Every branch above is written not to throw; if one does, the line is
    // skipped but reported as `failed` (counted and emitted by the
    // connection), never passed off as an ordinary ignored line.
    const failed: NormalizedLine & { kind: 'failed' } = { kind: 'failed', reason: reasonOf(error) };
    try {
      if (typeof msg.command === 'string') failed.command = msg.command;
    } catch {
      // A message whose command cannot even be read: report it without one.
    }
    return failed;
  }
}

/** The message of what a normalizer threw, without throwing again. */
export function reasonOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

/**
 * Parses and normalizes one raw IRC line (the transport's single entry
 * point). A tagged PRIVMSG in Twitch's usual shape takes the fast path
 * (privmsg-line.ts: no tag object); everything else, and anything the fast
 * path is unsure of, goes through the general parser.
 */
export function normalizeLine(line: string, ctx: NormalizeContext): NormalizedLine {
  if (typeof line === 'string' && line.charCodeAt(0) === 64) {
    try {
      const message = normalizeTaggedPrivmsg(line, ctx);
      if (message !== undefined) return { kind: 'message', message };
    } catch (error) {
      // Written not to throw, like every normalizer; if it does, the line is reported as failed, not ignored.
      return { kind: 'failed', reason: reasonOf(error), command: 'PRIVMSG' };
    }
  }
  const msg = parseIrcLine(line);
  if (msg === undefined) return { kind: 'ignored', reason: 'not an IRC line' };
  return normalizeIrcMessage(msg, ctx);
}
