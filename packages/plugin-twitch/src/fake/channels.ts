/**
 * Per-channel state of the fake server and the send policy Twitch applies to a
 * bot's PRIVMSG (rate limit, duplicate check, slow mode). All checks are off
 * unless configured, so plain tests see every message accepted.
 */
import { type ChatRole, type RoomState, stableId } from './messages.js';
import type { FakeChannelOptions, SentChatMessage } from './types.js';

export interface ChannelState {
  name: string;
  room: RoomState;
  botRole: ChatRole;
  rateLimit: { max: number; windowMs: number } | null;
  duplicateWindowMs: number | null;
}

export function createChannel(name: string, options: FakeChannelOptions = {}): ChannelState {
  const channel: ChannelState = {
    name,
    room: { roomId: stableId(`#${name}`), emoteOnly: false, followersOnly: -1, r9k: false, slow: 0, subsOnly: false },
    botRole: 'viewer',
    rateLimit: null,
    duplicateWindowMs: null,
  };
  applyChannelOptions(channel, options);
  return channel;
}

export function applyChannelOptions(channel: ChannelState, o: FakeChannelOptions): void {
  if (o.roomId !== undefined) channel.room.roomId = o.roomId;
  if (o.botRole !== undefined) channel.botRole = o.botRole;
  if (o.rateLimit !== undefined) channel.rateLimit = o.rateLimit;
  if (o.rejectDuplicates !== undefined || o.duplicateWindowMs !== undefined) {
    channel.duplicateWindowMs = o.rejectDuplicates === false ? null : (o.duplicateWindowMs ?? 30_000);
  }
  if (o.roomState) Object.assign(channel.room, o.roomState);
}

const privileged = (role: ChatRole): boolean => role === 'moderator' || role === 'broadcaster';

/**
 * Which NOTICE msg-id (if any) Twitch would answer this PRIVMSG with, given the
 * bot's earlier messages in the channel (`history`, oldest first).
 */
export function checkSend(
  channel: ChannelState,
  history: readonly SentChatMessage[],
  nick: string,
  text: string,
  now: number,
): { rejected: 'msg_ratelimit' | 'msg_duplicate' | 'msg_slowmode'; waitSeconds?: number } | null {
  const mine = history.filter((m) => m.nick === nick && m.rejected === undefined);
  const last = mine.at(-1);
  if (channel.rateLimit) {
    const since = now - channel.rateLimit.windowMs;
    if (mine.filter((m) => m.at > since).length >= channel.rateLimit.max) return { rejected: 'msg_ratelimit' };
  }
  // Moderators and the broadcaster are exempt from slow mode on Twitch.
  if (channel.room.slow > 0 && !privileged(channel.botRole) && last && now - last.at < channel.room.slow * 1000) {
    return { rejected: 'msg_slowmode', waitSeconds: Math.ceil((channel.room.slow * 1000 - (now - last.at)) / 1000) };
  }
  if (channel.duplicateWindowMs !== null && last && last.text === text && now - last.at < channel.duplicateWindowMs) {
    return { rejected: 'msg_duplicate' };
  }
  return null;
}
