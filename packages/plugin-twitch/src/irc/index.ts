export { MAX_BODY_LENGTH, MAX_TAGS_LENGTH, escapeTagValue, parseIrcLine, unescapeTagValue } from './parse.js';
export type { IrcMessage, IrcPrefix } from './message.external.js';
