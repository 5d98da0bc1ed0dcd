import { SS_ERR_TWITCH_EVENTSUB_SUBSCRIBE } from '../errors.js';

/** Whose ids a subscription's condition needs. */
export interface ConditionIds {
  /** The channel's user id. */
  broadcasterId: string;
  /** The reading / moderating account's user id (the bot, or the broadcaster). */
  userId: string;
}

export interface SubscriptionSpec {
  type: string;
  version: string;
  condition(ids: ConditionIds): Record<string, string>;
}

const broadcaster = ({ broadcasterId }: ConditionIds) => ({ broadcaster_user_id: broadcasterId });
const asUser = ({ broadcasterId, userId }: ConditionIds) => ({ broadcaster_user_id: broadcasterId, user_id: userId });
const asModerator = ({ broadcasterId, userId }: ConditionIds) => ({ broadcaster_user_id: broadcasterId, moderator_user_id: userId });

/** Chat read over EventSub: the same events IRC gives. */
export const CHAT_SUBSCRIPTIONS: readonly SubscriptionSpec[] = [
  { type: 'channel.chat.message', version: '1', condition: asUser },
  { type: 'channel.chat.notification', version: '1', condition: asUser },
  { type: 'channel.chat.message_delete', version: '1', condition: asUser },
  { type: 'channel.chat.clear', version: '1', condition: asUser },
  { type: 'channel.chat.clear_user_messages', version: '1', condition: asUser },
  { type: 'channel.chat_settings.update', version: '1', condition: asUser },
];

/** Channel events streamers automate on (each needs its own scope; see README "Scopes"). */
export const CHANNEL_SUBSCRIPTIONS: readonly SubscriptionSpec[] = [
  { type: 'channel.follow', version: '2', condition: asModerator },
  { type: 'channel.subscribe', version: '1', condition: broadcaster },
  { type: 'channel.subscription.message', version: '1', condition: broadcaster },
  { type: 'channel.subscription.gift', version: '1', condition: broadcaster },
  { type: 'channel.cheer', version: '1', condition: broadcaster },
  { type: 'channel.raid', version: '1', condition: ({ broadcasterId }) => ({ to_broadcaster_user_id: broadcasterId }) },
  { type: 'channel.channel_points_custom_reward_redemption.add', version: '1', condition: broadcaster },
  { type: 'channel.hype_train.begin', version: '1', condition: broadcaster },
  { type: 'channel.hype_train.progress', version: '1', condition: broadcaster },
  { type: 'channel.hype_train.end', version: '1', condition: broadcaster },
  { type: 'channel.poll.begin', version: '1', condition: broadcaster },
  { type: 'channel.poll.progress', version: '1', condition: broadcaster },
  { type: 'channel.poll.end', version: '1', condition: broadcaster },
  { type: 'channel.prediction.begin', version: '1', condition: broadcaster },
  { type: 'channel.prediction.progress', version: '1', condition: broadcaster },
  { type: 'channel.prediction.end', version: '1', condition: broadcaster },
  { type: 'channel.ad_break.begin', version: '1', condition: broadcaster },
  { type: 'channel.shoutout.create', version: '1', condition: asModerator },
  { type: 'channel.shoutout.receive', version: '1', condition: asModerator },
  // Timeouts and bans with their duration (channel.chat.clear_user_messages has neither): needs a moderator's token.
  { type: 'channel.ban', version: '1', condition: broadcaster },
  { type: 'stream.online', version: '1', condition: broadcaster },
  { type: 'stream.offline', version: '1', condition: broadcaster },
];

export interface HelixAccess {
  helixUrl: string;
  clientId: string;
  /** The user access token (without `oauth:`), or how to get the current one (it may have been refreshed since). */
  token: string | (() => string);
  fetch?: typeof fetch;
}

/** What Create EventSub Subscription told us about the limits. */
export interface SubscriptionCost {
  total: number;
  totalCost: number;
  maxTotalCost: number;
}

/** Creates one subscription on a WebSocket session; 409 (already exists) counts as done. */
export async function createSubscription(access: HelixAccess, spec: SubscriptionSpec, ids: ConditionIds, sessionId: string): Promise<{ id?: string; cost?: SubscriptionCost }> {
  const response = await (access.fetch ?? fetch)(`${access.helixUrl.replace(/\/$/, '')}/eventsub/subscriptions`, {
    method: 'POST',
    headers: { 'Client-Id': access.clientId, Authorization: `Bearer ${tokenOf(access)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: spec.type, version: spec.version, condition: spec.condition(ids), transport: { method: 'websocket', session_id: sessionId } }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: { id?: string }[]; total?: number; total_cost?: number; max_total_cost?: number; message?: string };
  if (response.status === 409) return {};
  if (!response.ok) throw new SS_ERR_TWITCH_EVENTSUB_SUBSCRIBE(spec.type, response.status, typeof body.message === 'string' ? body.message.slice(0, 200) : response.statusText);
  return {
    ...(typeof body.data?.[0]?.id === 'string' ? { id: body.data[0].id } : {}),
    ...(typeof body.total === 'number' && typeof body.total_cost === 'number' && typeof body.max_total_cost === 'number'
      ? { cost: { total: body.total, totalCost: body.total_cost, maxTotalCost: body.max_total_cost } }
      : {}),
  };
}

/** A user's id by login (Get Users). */
export async function userIdOf(access: HelixAccess, login: string): Promise<string | undefined> {
  const response = await (access.fetch ?? fetch)(`${access.helixUrl.replace(/\/$/, '')}/users?login=${encodeURIComponent(login.toLowerCase())}`, {
    headers: { 'Client-Id': access.clientId, Authorization: `Bearer ${tokenOf(access)}` },
  });
  if (!response.ok) throw new SS_ERR_TWITCH_EVENTSUB_SUBSCRIBE('users lookup', response.status, response.statusText);
  const body = (await response.json()) as { data?: { id?: unknown }[] };
  const id = body.data?.[0]?.id;
  return typeof id === 'string' ? id : undefined;
}

function tokenOf(access: HelixAccess): string {
  return typeof access.token === 'function' ? access.token() : access.token;
}
