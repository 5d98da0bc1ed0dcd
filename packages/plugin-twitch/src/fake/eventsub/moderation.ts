/**
 * Helix moderation answers of the fake: "Delete Chat Messages"
 * (`DELETE /moderation/chat`) and "Ban User" (`POST /moderation/bans`, a
 * timeout when `duration` is set), with Twitch's checks — the scope, the
 * token's user as `moderator_id`, that user being the broadcaster or one of
 * the channel's moderators (`addModerator`), and no action on the
 * broadcaster or a moderator. Every accepted call is recorded.
 */
import type { TokenRecord, UserDirectory } from './state.js';
import type { FakeModerationCall } from './types.js';

interface Reply {
  status: number;
  body?: unknown;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };
const helixError = (status: number, message: string): Reply => ({ status, body: { error: STATUS_TEXT[status] ?? 'Error', status, message } });

export const MODERATION_SCOPES = { deleteMessage: 'moderator:manage:chat_messages', ban: 'moderator:manage:banned_users' } as const;

/** The channels' moderators and what was done. */
export class FakeModeration {
  /** broadcaster id → moderator user ids. */
  readonly moderators = new Map<string, Set<string>>();
  readonly calls: FakeModerationCall[] = [];

  addModerator(broadcasterId: string, userId: string): void {
    const set = this.moderators.get(broadcasterId) ?? new Set<string>();
    set.add(userId);
    this.moderators.set(broadcasterId, set);
  }

  #canModerate(broadcasterId: string, userId: string): boolean {
    return broadcasterId === userId || this.moderators.get(broadcasterId)?.has(userId) === true;
  }

  /** Common checks; the broadcaster and moderator ids when they pass. */
  #check(users: UserDirectory, token: TokenRecord, query: URLSearchParams, scope: string): Reply | { broadcasterId: string; moderatorId: string } {
    if (!token.scopes.includes(scope)) return helixError(401, `Missing scope: ${scope}`);
    const broadcasterId = query.get('broadcaster_id');
    const moderatorId = query.get('moderator_id');
    if (broadcasterId === null || broadcasterId === '') return helixError(400, 'Missing required parameter "broadcaster_id"');
    if (moderatorId === null || moderatorId === '') return helixError(400, 'Missing required parameter "moderator_id"');
    if (moderatorId !== token.userId) return helixError(403, 'The ID in moderator_id must match the user ID found in the request\'s OAuth token.');
    if (users.byId(broadcasterId) === undefined) return helixError(400, 'The ID in broadcaster_id is not valid');
    if (!this.#canModerate(broadcasterId, moderatorId)) return helixError(403, 'The user in moderator_id is not one of the broadcaster\'s moderators.');
    return { broadcasterId, moderatorId };
  }

  deleteMessage(users: UserDirectory, token: TokenRecord, query: URLSearchParams): Reply {
    const checked = this.#check(users, token, query, MODERATION_SCOPES.deleteMessage);
    if ('status' in checked) return checked;
    const messageId = query.get('message_id');
    if (messageId === null || messageId === '') return helixError(400, 'Missing required parameter "message_id"');
    this.calls.push({ action: 'delete', ...checked, messageId, at: Date.now() });
    return { status: 204 };
  }

  ban(users: UserDirectory, token: TokenRecord, query: URLSearchParams, body: Record<string, unknown> | null): Reply {
    const checked = this.#check(users, token, query, MODERATION_SCOPES.ban);
    if ('status' in checked) return checked;
    const data = body?.data as { user_id?: unknown; duration?: unknown; reason?: unknown } | undefined;
    if (data === undefined || typeof data !== 'object' || data === null) return helixError(400, 'Missing required parameter "data"');
    if (typeof data.user_id !== 'string' || data.user_id === '') return helixError(400, 'Missing required parameter "user_id"');
    if (data.duration !== undefined && (typeof data.duration !== 'number' || !Number.isInteger(data.duration) || data.duration < 1 || data.duration > 1_209_600)) {
      return helixError(400, 'The value in the duration field is not valid.');
    }
    if (this.#canModerate(checked.broadcasterId, data.user_id)) return helixError(400, 'The user specified in the user_id field may not be banned.');
    const call: FakeModerationCall = {
      action: data.duration === undefined ? 'ban' : 'timeout',
      ...checked,
      userId: data.user_id,
      ...(typeof data.duration === 'number' ? { duration: data.duration } : {}),
      ...(typeof data.reason === 'string' ? { reason: data.reason } : {}),
      at: Date.now(),
    };
    this.calls.push(call);
    const now = new Date();
    return {
      status: 200,
      body: {
        data: [
          {
            broadcaster_id: checked.broadcasterId,
            moderator_id: checked.moderatorId,
            user_id: data.user_id,
            created_at: now.toISOString(),
            end_time: call.duration === undefined ? null : new Date(now.getTime() + call.duration * 1000).toISOString(),
          },
        ],
      },
    };
  }
}
