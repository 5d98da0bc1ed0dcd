import type { PlatformAuthFailedEvent } from '../events.js';
import { SS_ERR_TWITCH_AUTH } from '../errors.js';
import type { TwitchServerNotice } from './types.js';

/** The coded error for a login NOTICE (`authFailed: true`). */
export function authError(creatorId: string, notice: TwitchServerNotice): InstanceType<typeof SS_ERR_TWITCH_AUTH> {
  return new SS_ERR_TWITCH_AUTH(creatorId, notice.text, { details: { platform: 'twitch' } });
}

/** The `platform.auth-failed` payload for a login NOTICE. */
export function authFailedEvent(creatorId: string, notice: TwitchServerNotice, at: number): PlatformAuthFailedEvent {
  const error = authError(creatorId, notice);
  return { creatorId, platform: 'twitch', error: { code: error.code, message: error.message }, at };
}
