import type { ChatEmote } from '@streamsuites/kernel';

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

declare module '@streamsuites/kernel' {
  interface ChatNotice {
    /**
     * Emotes in `text` (code-point ranges, exclusive end), as on
     * `ChatMessage`. Added by the Twitch plugin (USERNOTICE `emotes` tag);
     * absent when the text has none.
     */
    emotes?: ChatEmote[];
  }
}
