import type { IrcMessage } from '../irc/message.external.js';
import { channelOf, parseBadges, rolesOf, wellFormed } from './tags.js';
import type { NormalizedLine, TwitchGlobalUserState, TwitchUserState } from './types.js';

function emoteSets(value: string | undefined): string[] {
  return value === undefined || value.length === 0 ? [] : value.split(',').filter((s) => s.length > 0);
}

/** USERSTATE → the bot's roles in a channel (`elevated` = moderator or broadcaster: 100 msgs / 30 s). */
export function normalizeUserstate(msg: IrcMessage): NormalizedLine {
  const channel = channelOf(msg.params[0]);
  if (channel === undefined) return { kind: 'ignored', reason: 'USERSTATE without a channel', command: msg.command };
  const tags = msg.tags;
  const badges = parseBadges(tags.badges);
  const roles = rolesOf(tags, badges);
  const state: TwitchUserState = {
    channel,
    displayName: tags['display-name'] ?? '',
    roles,
    badges,
    elevated: roles.includes('broadcaster') || roles.includes('moderator'),
    emoteSets: emoteSets(tags['emote-sets']),
  };
  if (tags.color) state.color = tags.color;
  if (tags.id) state.sentMessageId = tags.id;
  return { kind: 'user-state', state };
}

/** GLOBALUSERSTATE → the bot's own user id, name and emote sets. */
export function normalizeGlobalUserstate(msg: IrcMessage): NormalizedLine {
  const tags = msg.tags;
  const state: TwitchGlobalUserState = {
    userId: tags['user-id'] ?? '',
    displayName: tags['display-name'] ?? '',
    badges: parseBadges(tags.badges),
    emoteSets: emoteSets(tags['emote-sets']),
  };
  if (tags.color) state.color = tags.color;
  return { kind: 'global-user-state', state };
}

// What Twitch (and older tmi servers) answer to a bad or rejected login, then close.
const AUTH_FAILED = /^(login authentication failed|login unsuccessful|error logging in|improperly formatted auth|invalid nick)/i;

/** NOTICE → a typed server notice; login failures are flagged (`authFailed`). */
export function normalizeNotice(msg: IrcMessage): NormalizedLine {
  const target = msg.params[0];
  const text = wellFormed(msg.trailing ?? msg.params[1] ?? '');
  const msgId = msg.tags['msg-id'];
  const notice: NormalizedLine & { kind: 'server-notice' } = {
    kind: 'server-notice',
    notice: {
      channel: target === undefined || target === '*' ? undefined : channelOf(target),
      text,
      authFailed: (msgId === undefined || msgId.length === 0) && AUTH_FAILED.test(text),
    },
  };
  if (msgId !== undefined && msgId.length > 0) notice.notice.msgId = msgId;
  return notice;
}
