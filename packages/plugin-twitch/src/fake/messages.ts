/**
 * Builders for the lines the real Twitch IRC server sends, modelled on the
 * captured lines in the repository's fixtures/twitch (connection.irc, state.irc,
 * privmsg.irc). Pure functions: no sockets here.
 */
import { randomUUID } from 'node:crypto';
import { type TagSet, withTags } from './wire.js';

export const SERVER = 'tmi.twitch.tv';

export type ChatRole = 'broadcaster' | 'moderator' | 'vip' | 'subscriber' | 'viewer';

/** A chatter for `say()`: a login string, or details. */
export interface FakeUser {
  login: string;
  displayName?: string;
  userId?: string;
  color?: string;
  role?: ChatRole;
}

/** Deterministic small number from a string, so ids/colors are stable per login. */
export function stableId(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return String(10_000_000 + ((h >>> 0) % 890_000_000));
}

const COLORS = ['#FF0000', '#0000FF', '#008000', '#B22222', '#FF7F50', '#9ACD32', '#FF4500', '#2E8B57', '#DAA520', '#D2691E', '#5F9EA0', '#1E90FF', '#FF69B4', '#8A2BE2', '#00FF7F'];

export function colorFor(login: string): string {
  return COLORS[Number(stableId(login)) % COLORS.length] ?? '#1E90FF';
}

/** badge-info / badges / mod / subscriber / user-type / vip for a role, as Twitch sends them. */
export function roleTags(role: ChatRole): TagSet {
  switch (role) {
    case 'broadcaster':
      // The broadcaster is not flagged mod=1 on Twitch; the badge says it.
      return { 'badge-info': '', badges: 'broadcaster/1', mod: 0, subscriber: 0, 'user-type': '' };
    case 'moderator':
      return { 'badge-info': '', badges: 'moderator/1', mod: 1, subscriber: 0, 'user-type': 'mod' };
    case 'vip':
      return { 'badge-info': '', badges: 'vip/1', mod: 0, subscriber: 0, 'user-type': '', vip: 1 };
    case 'subscriber':
      return { 'badge-info': 'subscriber/14', badges: 'subscriber/12', mod: 0, subscriber: 1, 'user-type': '' };
    case 'viewer':
      return { 'badge-info': '', badges: '', mod: 0, subscriber: 0, 'user-type': '' };
  }
}

export function userOf(user: string | FakeUser): Required<FakeUser> {
  const u = typeof user === 'string' ? { login: user } : user;
  const login = u.login.toLowerCase();
  return {
    login,
    displayName: u.displayName ?? u.login,
    userId: u.userId ?? stableId(login),
    color: u.color ?? colorFor(login),
    role: u.role ?? 'viewer',
  };
}

export const hostmask = (nick: string): string => `${nick}!${nick}@${nick}.${SERVER}`;

/** 001–004, 375, 372, 376: the welcome exactly as connection.irc shows it. */
export function welcomeLines(nick: string): string[] {
  return [
    `:${SERVER} 001 ${nick} :Welcome, GLHF!`,
    `:${SERVER} 002 ${nick} :Your host is ${SERVER}`,
    `:${SERVER} 003 ${nick} :This server is rather new`,
    `:${SERVER} 004 ${nick} :-`,
    `:${SERVER} 375 ${nick} :-`,
    `:${SERVER} 372 ${nick} :You are in a maze of twisty passages, all alike.`,
    `:${SERVER} 376 ${nick} :>`,
  ];
}

export function globalUserStateLine(nick: string): string {
  const u = userOf(nick);
  return withTags(
    { 'badge-info': '', badges: '', color: u.color, 'display-name': u.displayName, 'emote-sets': '0', 'user-id': u.userId, 'user-type': '' },
    `:${SERVER} GLOBALUSERSTATE`,
  );
}

/** USERSTATE for the bot in a channel; `id` is set when it echoes a sent PRIVMSG. */
export function userStateLine(nick: string, channel: string, role: ChatRole, id?: string): string {
  const u = userOf(nick);
  return withTags(
    { ...roleTags(role), color: u.color, 'display-name': u.displayName, 'emote-sets': '0', id },
    `:${SERVER} USERSTATE #${channel}`,
  );
}

export interface RoomState {
  roomId: string;
  emoteOnly: boolean;
  followersOnly: number; // minutes; -1 = off
  r9k: boolean;
  slow: number; // seconds
  subsOnly: boolean;
}

export function roomStateLine(channel: string, s: RoomState): string {
  return withTags(
    { 'emote-only': s.emoteOnly, 'followers-only': s.followersOnly, r9k: s.r9k, 'room-id': s.roomId, slow: s.slow, 'subs-only': s.subsOnly },
    `:${SERVER} ROOMSTATE #${channel}`,
  );
}

/** JOIN echo + NAMES reply, as the server sends them before USERSTATE/ROOMSTATE. */
export function joinLines(nick: string, channel: string): string[] {
  return [
    `:${hostmask(nick)} JOIN #${channel}`,
    `:${nick}.${SERVER} 353 ${nick} = #${channel} :${nick}`,
    `:${nick}.${SERVER} 366 ${nick} #${channel} :End of /NAMES list`,
  ];
}

export function noticeLine(target: string, text: string, msgId?: string): string {
  return withTags({ 'msg-id': msgId }, `:${SERVER} NOTICE ${target} :${text}`);
}

/** Chat text as it goes on the wire: `/me x` becomes a CTCP ACTION like web chat sends. */
export function wireText(text: string): string {
  return text.startsWith('/me ') ? `\u0001ACTION ${text.slice(4)}\u0001` : text;
}

/** A PRIVMSG with the full tag set a current Twitch PRIVMSG carries; `tags` override. */
export function privmsgLine(
  channel: string,
  roomId: string,
  user: string | FakeUser,
  text: string,
  tags: TagSet = {},
  now: number = Date.now(),
): { line: string; id: string } {
  const u = userOf(user);
  const all: TagSet = {
    ...roleTags(u.role),
    color: u.color,
    'display-name': u.displayName,
    emotes: '',
    'first-msg': 0,
    flags: '',
    id: randomUUID(),
    'returning-chatter': 0,
    'room-id': roomId,
    'tmi-sent-ts': now,
    turbo: 0,
    'user-id': u.userId,
    ...tags,
  };
  const id = typeof all.id === 'string' || typeof all.id === 'number' ? String(all.id) : '';
  return { line: withTags(all, `:${hostmask(u.login)} PRIVMSG #${channel} :${wireText(text)}`), id };
}

export const MSG_RATELIMIT = 'Your message was not sent because you are sending messages too quickly.';
export const MSG_DUPLICATE = 'Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago.';
export const msgSlowmode = (seconds: number): string =>
  `This room is in slow mode and you are sending messages too quickly. You will be able to talk again in ${seconds} seconds.`;
