import type { ChatAuthor, ChatMessage, ChatMonetary, ChatNotice } from '@streamsuites/kernel';
import type { LiveChatItem, NormalizeContext, NormalizedItem } from '../types.js';
import { authorOf } from './author.js';
import {
  booleanField,
  type Field,
  integerField,
  isObject,
  type Json,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  stableHash,
  stringField,
} from './strings.js';
import { parseRfc3339 } from './time.js';

const PLATFORM = 'youtube';

/** What every item kind needs: the item and snippet objects, its id and times. */
interface Base {
  item: Json;
  snippet: Json;
  type: string;
  id: string;
  sentAt: number;
  ctx: NormalizeContext;
}

type Result = NormalizedItem;

const ignored = (reason: string, type?: string): Result => (type === undefined ? { kind: 'ignored', reason } : { kind: 'ignored', reason, type });

/**
 * One `liveChatMessages.list` / `streamList` item → what it means on the bus.
 * Pure and total: anything malformed (missing snippet, wrong field types,
 * over-long strings, a `publishedAt` that is not RFC 3339) becomes
 * `{ kind: 'ignored', reason }`; it never throws (a throw inside, which only
 * a hostile object or a bug can cause, comes back as `{ kind: 'failed' }`).
 *
 * | `snippet.type` | result |
 * |---|---|
 * | `textMessageEvent` | `message` (text = `textMessageDetails.messageText`, else `displayMessage`) |
 * | `superChatEvent` | `message` + `monetary.kind: 'superchat'` (text = `userComment` or `''`) |
 * | `superStickerEvent` | `message` + `monetary.kind: 'supersticker'` (text = sticker alt text or `''`) |
 * | `newSponsorEvent` | `notice` kind `newSponsor` |
 * | `memberMilestoneChatEvent` | `notice` kind `memberMilestone` (text = `userComment`) |
 * | `membershipGiftingEvent` | `notice` kind `membershipGifting` |
 * | `giftMembershipReceivedEvent` | `notice` kind `giftMembershipReceived` |
 * | `messageDeletedEvent`, `messageRetractedEvent` | `deleted` |
 * | `userBannedEvent` | `user-timeout` (`ban` when permanent, `timeout` + `durationSec` when temporary) |
 * | `chatEndedEvent` | `chat-ended` |
 * | `tombstone`, `pollEvent`, others | `ignored` |
 *
 * Times: `sentAt` is `snippet.publishedAt` (`ctx.receivedAt` when absent);
 * the `at` of deleted / user-timeout / chat-ended is `ctx.receivedAt`, the
 * kernel clock, as on every platform.
 */
export function normalizeItem(item: LiveChatItem, ctx: NormalizeContext): NormalizedItem {
  try {
    return normalizeUnknown(item as unknown, ctx);
  } catch (err) {
    // Only reachable through hostile objects (throwing getters, proxies) or a
    // bug: reported as `failed` (counted and emitted by the session), never
    // passed off as an ordinary ignored item.
    return { kind: 'failed', reason: `item could not be read: ${reasonOf(err)}`.slice(0, 200) };
  }
}

/** The message of what was thrown, without throwing again. */
export function reasonOf(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return 'unknown error';
  }
}

function normalizeUnknown(raw: unknown, ctx: NormalizeContext): Result {
  if (!isObject(raw)) return ignored('item is not an object');
  const snippet = raw.snippet;
  if (!isObject(snippet)) return ignored(snippet === undefined || snippet === null ? 'item has no snippet' : 'item snippet is not an object');
  const typeValue = snippet.type;
  if (typeof typeValue !== 'string' || typeValue.length === 0) return ignored('snippet.type is not a string');
  if (typeValue.length > 100) return ignored('snippet.type is too long');
  const type = typeValue;

  const idField = stringField(raw, 'id', MAX_ID_LENGTH, 'item');
  if (!idField.ok) return ignored(idField.problem, type);
  let sentAt = ctx.receivedAt;
  const published = snippet.publishedAt;
  if (published !== undefined && published !== null) {
    const parsed = parseRfc3339(published);
    if (parsed === undefined) return ignored('snippet.publishedAt is not an RFC 3339 date-time', type);
    sentAt = parsed;
  }
  const id = idField.value || syntheticId(snippet, type);
  const base: Base = { item: raw, snippet, type, id, sentAt, ctx };

  switch (type) {
    case 'textMessageEvent':
      return textMessage(base);
    case 'superChatEvent':
      return superChat(base);
    case 'superStickerEvent':
      return superSticker(base);
    case 'newSponsorEvent':
      return notice(base, 'newSponsor', 'newSponsorDetails', { memberLevelName: 'string', isUpgrade: 'boolean' });
    case 'memberMilestoneChatEvent':
      return notice(base, 'memberMilestone', 'memberMilestoneChatDetails', { memberLevelName: 'string', memberMonth: 'integer' }, 'userComment');
    case 'membershipGiftingEvent':
      return notice(base, 'membershipGifting', 'membershipGiftingDetails', { giftMembershipsCount: 'integer', giftMembershipsLevelName: 'string' });
    case 'giftMembershipReceivedEvent':
      return notice(base, 'giftMembershipReceived', 'giftMembershipReceivedDetails', {
        memberLevelName: 'string',
        gifterChannelId: 'string',
        associatedMembershipGiftingMessageId: 'string',
      });
    case 'messageDeletedEvent':
      return deleted(base, 'messageDeletedDetails', 'deletedMessageId');
    case 'messageRetractedEvent':
      return deleted(base, 'messageRetractedDetails', 'retractedMessageId');
    case 'userBannedEvent':
      return userBanned(base);
    case 'chatEndedEvent':
      return { kind: 'chat-ended', at: ctx.receivedAt };
    case 'tombstone':
      return ignored('tombstone: the message was removed', type);
    case 'pollEvent':
      return ignored('poll events are not mapped', type);
    case 'sponsorOnlyModeStartedEvent':
    case 'sponsorOnlyModeEndedEvent':
    case 'fanFundingEvent':
    case 'giftEvent':
      return ignored(`${type} is not mapped`, type);
    default:
      return ignored('unknown snippet.type', type);
  }
}

/** Items always carry an id on the wire; a capture without one gets a stable hash of what identifies it. */
function syntheticId(snippet: Json, type: string): string {
  const part = (v: unknown): string => (typeof v === 'string' ? v : '');
  return `h:${stableHash([part(snippet.liveChatId), part(snippet.publishedAt), part(snippet.authorChannelId), type, part(snippet.displayMessage)].join('\u0000'))}`;
}

/** The author of a message (required). */
function requiredAuthor(b: Base): Field<ChatAuthor> {
  const author = authorOf(b.snippet, b.item.authorDetails);
  if (!author.ok) return author;
  if (author.value === undefined) return { ok: false, problem: 'item has no author (authorDetails or snippet.authorChannelId)' };
  return author;
}

/** A details object by name: absent → `undefined`, present but not an object → problem. */
function detailsOf(b: Base, key: string): Field<Json> {
  const d = b.snippet[key];
  if (d === undefined || d === null) return { ok: true, value: undefined };
  if (!isObject(d)) return { ok: false, problem: `snippet.${key} is not an object` };
  return { ok: true, value: d };
}

function message(b: Base, author: ChatAuthor, text: string, monetary?: ChatMonetary): Result {
  const msg: ChatMessage = {
    id: b.id,
    platform: PLATFORM,
    creatorId: b.ctx.creatorId,
    channel: b.ctx.channel,
    receivedAt: b.ctx.receivedAt,
    sentAt: b.sentAt,
    author,
    text,
    isAction: false,
  };
  if (monetary !== undefined) msg.monetary = monetary;
  return { kind: 'message', message: msg };
}

function textMessage(b: Base): Result {
  const author = requiredAuthor(b);
  if (!author.ok) return ignored(author.problem, b.type);
  const details = detailsOf(b, 'textMessageDetails');
  if (!details.ok) return ignored(details.problem, b.type);
  let text: string | undefined;
  if (details.value !== undefined) {
    const t = stringField(details.value, 'messageText', MAX_TEXT_LENGTH, 'snippet.textMessageDetails');
    if (!t.ok) return ignored(t.problem, b.type);
    text = t.value;
  }
  if (text === undefined) {
    const d = stringField(b.snippet, 'displayMessage', MAX_TEXT_LENGTH, 'snippet');
    if (!d.ok) return ignored(d.problem, b.type);
    text = d.value;
  }
  if (text === undefined) return ignored('textMessageEvent without text', b.type);
  return message(b, author.value!, text);
}

/** `amountMicros` (an int64 sent as a string), `currency`, `amountDisplayString` of a Super Chat / Sticker. */
function monetaryOf(details: Json, kind: 'superchat' | 'supersticker', path: string): Field<ChatMonetary> {
  const amount = integerField(details, 'amountMicros', path);
  if (!amount.ok) return amount;
  if (amount.value === undefined) return { ok: false, problem: `${path}.amountMicros is missing` };
  const currency = stringField(details, 'currency', 16, path);
  if (!currency.ok) return currency;
  if (currency.value === undefined || currency.value.length === 0) return { ok: false, problem: `${path}.currency is missing` };
  const display = stringField(details, 'amountDisplayString', MAX_NAME_LENGTH, path);
  if (!display.ok) return display;
  const monetary: ChatMonetary = { kind, amountMicros: amount.value, currency: currency.value };
  if (display.value !== undefined) monetary.display = display.value;
  return { ok: true, value: monetary };
}

function superChat(b: Base): Result {
  const author = requiredAuthor(b);
  if (!author.ok) return ignored(author.problem, b.type);
  const details = detailsOf(b, 'superChatDetails');
  if (!details.ok) return ignored(details.problem, b.type);
  if (details.value === undefined) return ignored('superChatEvent without superChatDetails', b.type);
  const monetary = monetaryOf(details.value, 'superchat', 'snippet.superChatDetails');
  if (!monetary.ok) return ignored(monetary.problem, b.type);
  const comment = stringField(details.value, 'userComment', MAX_TEXT_LENGTH, 'snippet.superChatDetails');
  if (!comment.ok) return ignored(comment.problem, b.type);
  return message(b, author.value!, comment.value ?? '', monetary.value);
}

function superSticker(b: Base): Result {
  const author = requiredAuthor(b);
  if (!author.ok) return ignored(author.problem, b.type);
  const details = detailsOf(b, 'superStickerDetails');
  if (!details.ok) return ignored(details.problem, b.type);
  if (details.value === undefined) return ignored('superStickerEvent without superStickerDetails', b.type);
  const monetary = monetaryOf(details.value, 'supersticker', 'snippet.superStickerDetails');
  if (!monetary.ok) return ignored(monetary.problem, b.type);
  let text = '';
  const meta = details.value.superStickerMetadata;
  if (meta !== undefined && meta !== null) {
    if (!isObject(meta)) return ignored('snippet.superStickerDetails.superStickerMetadata is not an object', b.type);
    const alt = stringField(meta, 'altText', MAX_TEXT_LENGTH, 'snippet.superStickerDetails.superStickerMetadata');
    if (!alt.ok) return ignored(alt.problem, b.type);
    text = alt.value ?? '';
  }
  return message(b, author.value!, text, monetary.value);
}

type FieldKind = 'string' | 'integer' | 'boolean';

/**
 * A membership notice. `data` holds the details fields that were present
 * (numbers as numbers), `displayMessage` (YouTube's own rendering, like
 * Twitch's `systemMsg`) and `sentAt` (`publishedAt` in ms); `text` is the
 * member's `userComment` where the event has one.
 */
function notice(b: Base, kind: string, detailsKey: string, fields: Record<string, FieldKind>, commentKey?: string): Result {
  const author = authorOf(b.snippet, b.item.authorDetails);
  if (!author.ok) return ignored(author.problem, b.type);
  const details = detailsOf(b, detailsKey);
  if (!details.ok) return ignored(details.problem, b.type);
  const data: Record<string, string | number | boolean | null> = {};
  const path = `snippet.${detailsKey}`;
  let text: string | undefined;
  if (details.value !== undefined) {
    for (const [key, fieldKind] of Object.entries(fields)) {
      const f =
        fieldKind === 'string'
          ? stringField(details.value, key, key.endsWith('Id') ? MAX_ID_LENGTH : MAX_NAME_LENGTH, path)
          : fieldKind === 'integer'
            ? integerField(details.value, key, path)
            : booleanField(details.value, key, path);
      if (!f.ok) return ignored(f.problem, b.type);
      if (f.value !== undefined) data[key] = f.value;
    }
    if (commentKey !== undefined) {
      const c = stringField(details.value, commentKey, MAX_TEXT_LENGTH, path);
      if (!c.ok) return ignored(c.problem, b.type);
      text = c.value;
    }
  }
  const display = stringField(b.snippet, 'displayMessage', MAX_TEXT_LENGTH, 'snippet');
  if (!display.ok) return ignored(display.problem, b.type);
  if (display.value !== undefined && display.value.length > 0) data.displayMessage = display.value;
  data.sentAt = b.sentAt;
  const n: ChatNotice = {
    id: b.id,
    platform: PLATFORM,
    creatorId: b.ctx.creatorId,
    channel: b.ctx.channel,
    receivedAt: b.ctx.receivedAt,
    kind,
    data,
  };
  if (author.value !== undefined) n.author = author.value;
  if (text !== undefined) n.text = text;
  return { kind: 'notice', notice: n };
}

function deleted(b: Base, detailsKey: string, idKey: string): Result {
  const details = detailsOf(b, detailsKey);
  if (!details.ok) return ignored(details.problem, b.type);
  if (details.value === undefined) return ignored(`${b.type} without ${detailsKey}`, b.type);
  const target = stringField(details.value, idKey, MAX_ID_LENGTH, `snippet.${detailsKey}`);
  if (!target.ok) return ignored(target.problem, b.type);
  if (target.value === undefined || target.value.length === 0) return ignored(`snippet.${detailsKey}.${idKey} is missing`, b.type);
  return {
    kind: 'deleted',
    event: { creatorId: b.ctx.creatorId, platform: PLATFORM, channel: b.ctx.channel, messageId: target.value, at: b.ctx.receivedAt },
  };
}

/**
 * `userBannedEvent` → `user-timeout`. `userId` is the banned channel id;
 * `login` its display name (YouTube has no login; the channel id when the
 * name is missing). `banDurationSeconds` is a uint64, so a string on the wire.
 */
function userBanned(b: Base): Result {
  const details = detailsOf(b, 'userBannedDetails');
  if (!details.ok) return ignored(details.problem, b.type);
  if (details.value === undefined) return ignored('userBannedEvent without userBannedDetails', b.type);
  const path = 'snippet.userBannedDetails';
  const user = details.value.bannedUserDetails;
  if (!isObject(user)) return ignored(`${path}.bannedUserDetails is missing`, b.type);
  const userId = stringField(user, 'channelId', MAX_ID_LENGTH, `${path}.bannedUserDetails`);
  if (!userId.ok) return ignored(userId.problem, b.type);
  if (userId.value === undefined || userId.value.length === 0) return ignored(`${path}.bannedUserDetails.channelId is missing`, b.type);
  const name = stringField(user, 'displayName', MAX_NAME_LENGTH, `${path}.bannedUserDetails`);
  if (!name.ok) return ignored(name.problem, b.type);
  const banType = details.value.banType;
  const base = {
    creatorId: b.ctx.creatorId,
    platform: PLATFORM,
    channel: b.ctx.channel,
    userId: userId.value,
    login: name.value || userId.value,
    at: b.ctx.receivedAt,
  };
  if (banType === 'permanent') return { kind: 'user-timeout', event: { ...base, action: 'ban' } };
  if (banType !== 'temporary') return ignored(`${path}.banType is not permanent or temporary`, b.type);
  const duration = integerField(details.value, 'banDurationSeconds', path);
  if (!duration.ok) return ignored(duration.problem, b.type);
  return {
    kind: 'user-timeout',
    event: duration.value === undefined ? { ...base, action: 'timeout' } : { ...base, action: 'timeout', durationSec: duration.value },
  };
}
