export { normalizeIrcMessage, normalizeLine } from './line.js';
export { normalizePrivmsg, normalizeUsernotice } from './chat.js';
export { normalizeClearchat, normalizeClearmsg, normalizeRoomstate } from './moderation.js';
export { normalizeGlobalUserstate, normalizeNotice, normalizeUserstate } from './state.js';
export { parseEmotes } from './emotes.js';
export { MessageIdLru } from './dedupe.js';
export { authError, authFailedEvent } from './auth.js';
export type { NormalizeContext, NormalizedLine, TwitchGlobalUserState, TwitchServerNotice, TwitchUserState } from './types.js';
