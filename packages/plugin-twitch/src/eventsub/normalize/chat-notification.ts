/**
 * `channel.chat.notification` v1 → `{ kind: 'notice' }`, the ChatNotice an
 * IRC USERNOTICE of the same event gives: `kind` is the USERNOTICE `msg-id`
 * and `data` holds the `msg-param-*` names in camelCase that the EventSub
 * fields stand for (counts as numbers, flags as booleans, everything else as
 * strings, exactly as the IRC normalizer types them), plus `systemMsg` and
 * `sentAt`. The user's text gets its emotes and `/me` flag as on IRC.
 */
import type { ChatAuthor, ChatNotice } from '@streamsuites/kernel';
import type { EventSubNormalizeContext, NormalizedNotification } from '../types.js';
import { wellFormed } from '../../normalize/tags.js';
import { authorOf, badgesOf, chatTextOf, int, Malformed, optBool, optInt, optObj, optStr, PLATFORM, str, type Obj } from './chat-fields.js';

const WHERE = 'channel.chat.notification';

type Data = Record<string, string | number | boolean | null>;

/**
 * Twitch's anonymous gifter account: an anonymous gift's USERNOTICE comes
 * from it (`login=ananonymousgifter;user-id=274598607`, usernotice.irc:11),
 * while EventSub sends `chatter_is_anonymous: true` and null chatter fields.
 * The notice gets this author on both transports.
 */
const ANONYMOUS_GIFTER: ChatAuthor = { id: '274598607', login: 'ananonymousgifter', displayName: 'AnAnonymousGifter', roles: [], badges: {} };

function set(data: Data, key: string, value: string | number | boolean | undefined): void {
  if (value !== undefined) data[key] = value;
}

/** `is_prime` → IRC's `sub-plan=Prime`, else the tier (`1000`, `2000`, `3000`). */
function planOf(body: Obj, where: string): string {
  return optBool(body, 'is_prime', where) === true ? 'Prime' : str(body, 'sub_tier', where);
}

/** Resub and gift-upgrade gifter fields → IRC's `gifter-*` / `anon-gift` params. */
function gifter(data: Data, body: Obj, where: string, prefix: 'gifter' | 'priorGifter'): void {
  const anonymous = optBool(body, 'gifter_is_anonymous', where);
  if (prefix === 'gifter') {
    set(data, 'anonGift', anonymous);
    set(data, 'gifterId', optStr(body, 'gifter_user_id', where));
    set(data, 'gifterLogin', optStr(body, 'gifter_user_login', where));
    set(data, 'gifterName', optStr(body, 'gifter_user_name', where));
  } else {
    set(data, 'priorGifterAnonymous', anonymous);
    set(data, 'priorGifterId', optStr(body, 'gifter_user_id', where));
    set(data, 'priorGifterUserName', optStr(body, 'gifter_user_login', where));
    set(data, 'priorGifterDisplayName', optStr(body, 'gifter_user_name', where));
  }
}

/** One notice type's body → [IRC msg-id, data]. */
type Mapper = (body: Obj, where: string) => [kind: string, data: Data];

const MAPPERS: Record<string, Mapper> = {
  sub: (b, w) => {
    const data: Data = { subPlan: planOf(b, w) };
    set(data, 'multimonthDuration', optInt(b, 'duration_months', w));
    return ['sub', data];
  },
  resub: (b, w) => {
    const data: Data = { cumulativeMonths: int(b, 'cumulative_months', w), subPlan: planOf(b, w) };
    const streak = optInt(b, 'streak_months', w);
    // IRC: should-share-streak=1 and streak-months=N when shared, should-share-streak=0 otherwise.
    data.shouldShareStreak = streak !== undefined;
    set(data, 'streakMonths', streak);
    set(data, 'multimonthDuration', optInt(b, 'duration_months', w));
    const gift = optBool(b, 'is_gift', w);
    set(data, 'wasGifted', gift);
    if (gift === true) gifter(data, b, w, 'gifter');
    return ['resub', data];
  },
  sub_gift: (b, w) => {
    const data: Data = {
      recipientId: str(b, 'recipient_user_id', w),
      recipientUserName: str(b, 'recipient_user_login', w),
      recipientDisplayName: optStr(b, 'recipient_user_name', w) ?? str(b, 'recipient_user_login', w),
      subPlan: str(b, 'sub_tier', w),
    };
    set(data, 'giftMonths', optInt(b, 'duration_months', w));
    set(data, 'senderCount', optInt(b, 'cumulative_total', w));
    set(data, 'communityGiftId', optStr(b, 'community_gift_id', w));
    return ['subgift', data];
  },
  community_sub_gift: (b, w) => {
    const data: Data = { massGiftCount: int(b, 'total', w), subPlan: str(b, 'sub_tier', w) };
    set(data, 'senderCount', optInt(b, 'cumulative_total', w));
    set(data, 'communityGiftId', optStr(b, 'id', w));
    return ['submysterygift', data];
  },
  gift_paid_upgrade: (b, w) => {
    if (optBool(b, 'gifter_is_anonymous', w) === true) return ['anongiftpaidupgrade', {}];
    const data: Data = {};
    set(data, 'senderLogin', optStr(b, 'gifter_user_login', w));
    set(data, 'senderName', optStr(b, 'gifter_user_name', w));
    return ['giftpaidupgrade', data];
  },
  prime_paid_upgrade: (b, w) => ['primepaidupgrade', { subPlan: str(b, 'sub_tier', w) }],
  raid: (b, w) => {
    const data: Data = { login: str(b, 'user_login', w), displayName: optStr(b, 'user_name', w) ?? str(b, 'user_login', w), viewerCount: int(b, 'viewer_count', w) };
    set(data, 'profileImageURL', optStr(b, 'profile_image_url', w));
    return ['raid', data];
  },
  unraid: () => ['unraid', {}],
  pay_it_forward: (b, w) => {
    const data: Data = {};
    gifter(data, b, w, 'priorGifter');
    const recipient = optStr(b, 'recipient_user_id', w);
    if (recipient === undefined) return ['communitypayforward', data];
    data.recipientId = recipient;
    set(data, 'recipientUserName', optStr(b, 'recipient_user_login', w));
    set(data, 'recipientDisplayName', optStr(b, 'recipient_user_name', w));
    return ['standardpayforward', data];
  },
  announcement: (b, w) => {
    const data: Data = {};
    // IRC sends msg-param-color=PRIMARY / BLUE ...; EventSub's color is typed lowercase by
    // twurple ('primary' | 'blue' ...) and read in either case by twitch_api: IRC's form.
    set(data, 'color', optStr(b, 'color', w)?.toUpperCase());
    return ['announcement', data];
  },
  bits_badge_tier: (b, w) => ['bitsbadgetier', { threshold: int(b, 'tier', w) }],
  charity_donation: (b, w) => {
    const data: Data = { charityName: str(b, 'charity_name', w, true) };
    const amount = optObj(b, 'amount', w);
    if (amount === undefined) throw new Malformed(`${w}.amount is missing`);
    data.donationAmount = int(amount, 'value', `${w}.amount`);
    data.exponent = int(amount, 'decimal_places', `${w}.amount`);
    data.donationCurrency = str(amount, 'currency', `${w}.amount`);
    return ['charitydonation', data];
  },
};

/** Shared-chat variants: the body is the same as the plain type's. */
const SHARED = ['sub', 'resub', 'sub_gift', 'community_sub_gift', 'gift_paid_upgrade', 'prime_paid_upgrade', 'raid', 'pay_it_forward', 'announcement'];

/** The notice types this normalizer knows (plain and `shared_chat_*`). */
export const NOTICE_TYPES: readonly string[] = [...Object.keys(MAPPERS), ...SHARED.map((t) => `shared_chat_${t}`)];

/**
 * The notice. `shared_chat_<type>` (a notice from another channel of a shared
 * chat session) → kind `sharedchatnotice`, which is the `msg-id` IRC sends for
 * it (with `source-msg-id=<type>` as a tag, which the IRC normalizer does not
 * keep), with the data of `<type>`. Unknown `notice_type`s → `ignored`.
 */
export function normalizeChatNotification(event: Obj, ctx: EventSubNormalizeContext): NormalizedNotification {
  const noticeType = str(event, 'notice_type', WHERE);
  const shared = noticeType.startsWith('shared_chat_') && SHARED.includes(noticeType.slice(12));
  const base = shared ? noticeType.slice(12) : noticeType;
  const mapper = Object.hasOwn(MAPPERS, base) ? MAPPERS[base] : undefined;
  if (mapper === undefined) return { kind: 'ignored', reason: `channel.chat.notification notice_type "${noticeType}" is not mapped`, command: WHERE };
  const channel = str(event, 'broadcaster_user_login', WHERE);
  const id = str(event, 'message_id', WHERE);
  const body = optObj(event, noticeType, WHERE);
  if (body === undefined) throw new Malformed(`${WHERE}.${noticeType} is missing for notice_type "${noticeType}"`);
  const [irckind, data] = mapper(body, `${WHERE}.${noticeType}`);
  const kind = shared ? 'sharedchatnotice' : irckind;
  // Kept even when empty, as IRC keeps an empty `system-msg=` (announcements).
  const systemMsg = event.system_message;
  if (typeof systemMsg === 'string') data.systemMsg = wellFormed(systemMsg);
  else if (systemMsg !== undefined && systemMsg !== null) throw new Malformed(`${WHERE}.system_message is not a string`);
  const notice: ChatNotice = { id, platform: PLATFORM, creatorId: ctx.creatorId, channel, receivedAt: ctx.receivedAt, kind, data };
  if (optBool(event, 'chatter_is_anonymous', WHERE) === true) {
    badgesOf(event.badges, WHERE);
    notice.author = { ...ANONYMOUS_GIFTER, roles: [], badges: {} };
  } else {
    notice.author = authorOf(event, WHERE);
  }
  const message = optObj(event, 'message', WHERE);
  if (message !== undefined) {
    const { text, isAction, emotes } = chatTextOf(message, `${WHERE}.message`);
    if (text.length > 0 || isAction) {
      notice.text = text;
      if (isAction) data.isAction = true;
      if (emotes !== undefined) notice.emotes = emotes;
    }
  }
  data.sentAt = ctx.sentAt;
  return { kind: 'notice', notice };
}
