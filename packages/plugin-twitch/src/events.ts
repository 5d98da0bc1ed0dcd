/**
 * The events the Twitch plugin emits besides `chat.message`, `chat.notice`
 * and `chat.deleted` are the kernel's platform-neutral ones (`chat.cleared`,
 * `chat.user-timeout`, `chat.room-state`, `platform.auth-failed`,
 * `platform.connection`), so every platform plugin emits the same shapes.
 */
export type {
  ChatClearedEvent,
  ChatRoomState,
  ChatRoomStateEvent,
  ChatUserTimeoutEvent,
  PlatformAuthFailedEvent,
} from '@streamsuites/kernel';
