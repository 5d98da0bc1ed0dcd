/**
 * The unofficial chat socket's wire shapes: Kick's own web client reads chat
 * through Pusher (protocol 7) on channel `chatrooms.<chatroom id>.v2`, event
 * `App\Events\ChatMessageEvent`, whose `data` is a JSON string. Not part of
 * Kick's public API: shapes from captures quoted in public projects (see
 * fixtures/SOURCES.md), not from documentation.
 */
export interface PusherFrame {
  event: string;
  /** Pusher sends event data as a JSON-encoded string (sometimes an object). */
  data?: unknown;
  channel?: string;
}

export interface SocketChatMessage {
  id: string;
  chatroom_id: number;
  content: string;
  /** `message` or `reply`. */
  type: string;
  created_at?: string;
  sender: { id: number; username: string; slug: string; identity?: { color?: string; badges?: { type: string; text: string; count?: number }[] } };
  metadata?: {
    original_sender?: { id: number | string; username: string };
    original_message?: { id: string; content: string };
    message_ref?: string;
  } | null;
}

export const CHAT_MESSAGE_EVENT = 'App\\Events\\ChatMessageEvent';
export const chatroomChannel = (chatroomId: number): string => `chatrooms.${chatroomId}.v2`;
