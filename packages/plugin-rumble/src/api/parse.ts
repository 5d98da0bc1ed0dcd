import type { ApiBody, ApiChatEntry, ApiFollower, ApiLivestream, ApiRant, ApiSubscriber } from './types.js';

/** An entry of the body that could not be read: skipped, reported, the rest of the poll goes on. */
export interface SkippedEntry {
  /** JSON path, e.g. `livestreams[0].chat.recent_messages[3]`. */
  path: string;
  reason: string;
  value: unknown;
}

export type ParseResult = { ok: true; body: ApiBody; skipped: SkippedEntry[] } | { ok: false; problem: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 3339 with any offset (`-04:00`, `+00:00`, `Z`) to epoch ms; undefined when it is not one. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Validates a Live Stream API body. Whole-body problems (not JSON, not an
 * object, no `livestreams` array) fail the poll; one bad message, rant or
 * follower is skipped and reported, so a single odd entry never hides the
 * rest of the chat. Unknown fields are ignored (Rumble adds fields).
 */
export function parseBody(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON (${(error as Error).message.slice(0, 120)})` };
  }
  if (!isObject(data)) return { ok: false, problem: `expected a JSON object, got ${Array.isArray(data) ? 'an array' : typeof data}` };
  if (!Array.isArray(data.livestreams)) return { ok: false, problem: '"livestreams" is missing or not an array' };
  const now = typeof data.now === 'number' && Number.isFinite(data.now) ? data.now * 1000 : undefined;
  if (now === undefined) return { ok: false, problem: '"now" is missing or not a number' };
  const skipped: SkippedEntry[] = [];
  const body: ApiBody = {
    now,
    followers: [],
    subscribers: [],
    livestreams: [],
  };
  if (typeof data.max_num_results === 'number' && data.max_num_results > 0) body.maxResults = data.max_num_results;
  if (typeof data.username === 'string' && data.username !== '') body.username = data.username;
  if (typeof data.channel_name === 'string' && data.channel_name !== '') body.channelName = data.channel_name;

  const followers = data.followers;
  if (isObject(followers)) {
    if (typeof followers.num_followers_total === 'number') body.followersTotal = followers.num_followers_total;
    eachEntry(followers.recent_followers, 'followers.recent_followers', skipped, (value, path) => {
      const entry = follower(value, 'followed_on');
      if (typeof entry === 'string') return skip(skipped, path, entry, value);
      body.followers.push(entry);
    });
  }
  const subscribers = data.subscribers;
  if (isObject(subscribers)) {
    eachEntry(subscribers.recent_subscribers, 'subscribers.recent_subscribers', skipped, (value, path) => {
      const entry = follower(value, 'subscribed_on');
      if (typeof entry === 'string') return skip(skipped, path, entry, value);
      const cents = (value as Json).amount_cents;
      if (!isCents(cents)) return skip(skipped, path, '"amount_cents" is not a whole number ≥ 0', value);
      body.subscribers.push({ ...entry, amountCents: cents } satisfies ApiSubscriber);
    });
  }
  data.livestreams.forEach((value, index) => {
    const path = `livestreams[${index}]`;
    if (!isObject(value)) return skip(skipped, path, 'not an object', value);
    const id = typeof value.id === 'string' || typeof value.id === 'number' ? String(value.id) : '';
    if (id === '') return skip(skipped, path, '"id" is missing', value);
    const stream: ApiLivestream = {
      id,
      title: typeof value.title === 'string' ? value.title : '',
      isLive: value.is_live === true,
      messages: [],
      rants: [],
    };
    const createdAt = parseTimestamp(value.created_on);
    if (createdAt !== undefined) stream.createdAt = createdAt;
    const primary = isObject(value.categories) && isObject(value.categories.primary) ? value.categories.primary.title : undefined;
    if (typeof primary === 'string' && primary !== '') stream.category = primary;
    if (typeof value.watching_now === 'number') stream.watchingNow = value.watching_now;
    const chat = isObject(value.chat) ? value.chat : {};
    eachEntry(chat.recent_messages, `${path}.chat.recent_messages`, skipped, (item, itemPath) => {
      const entry = chatEntry(item);
      if (typeof entry === 'string') return skip(skipped, itemPath, entry, item);
      stream.messages.push(entry);
    });
    eachEntry(chat.recent_rants, `${path}.chat.recent_rants`, skipped, (item, itemPath) => {
      const entry = chatEntry(item);
      if (typeof entry === 'string') return skip(skipped, itemPath, entry, item);
      const cents = (item as Json).amount_cents;
      if (!isCents(cents) || cents === 0) return skip(skipped, itemPath, '"amount_cents" is not a whole number > 0', item);
      stream.rants.push({ ...entry, amountCents: cents } satisfies ApiRant);
    });
    body.livestreams.push(stream);
  });
  return { ok: true, body, skipped };
}

function eachEntry(list: unknown, path: string, skipped: SkippedEntry[], visit: (value: unknown, path: string) => void): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) return skip(skipped, path, 'not an array', list);
  list.forEach((value, index) => visit(value, `${path}[${index}]`));
}

function skip(skipped: SkippedEntry[], path: string, reason: string, value: unknown): void {
  skipped.push({ path, reason, value });
}

const isCents = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function chatEntry(value: unknown): ApiChatEntry | string {
  if (!isObject(value)) return 'not an object';
  if (typeof value.username !== 'string' || value.username === '') return '"username" is missing';
  if (typeof value.text !== 'string') return '"text" is missing';
  const createdAt = parseTimestamp(value.created_on);
  if (createdAt === undefined) return '"created_on" is not an RFC 3339 time';
  const badges = Array.isArray(value.badges) ? value.badges.filter((b): b is string => typeof b === 'string' && b !== '').map((b) => b.toLowerCase()) : [];
  return { username: value.username, text: value.text, badges, createdAt, createdOn: value.created_on as string };
}

function follower(value: unknown, timeField: string): ApiFollower | string {
  if (!isObject(value)) return 'not an object';
  const username = typeof value.username === 'string' && value.username !== '' ? value.username : typeof value.user === 'string' ? value.user : '';
  if (username === '') return '"username" is missing';
  const at = parseTimestamp(value[timeField]);
  if (at === undefined) return `"${timeField}" is not an RFC 3339 time`;
  return { username, at, raw: value[timeField] as string };
}
