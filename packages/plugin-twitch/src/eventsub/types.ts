/**
 * EventSub over WebSocket, as Twitch sends it (snake_case wire shapes), and
 * what its notifications normalize to. Reference: "EventSub WebSocket
 * messages" and "EventSub subscription types" in Twitch's documentation.
 */
import type { NormalizedLine } from '../normalize/types.js';

export type EventSubMessageType = 'session_welcome' | 'session_keepalive' | 'notification' | 'session_reconnect' | 'revocation';

export interface EventSubMetadata {
  /** Unique per message; a redelivery carries the same id (dedupe on it). */
  message_id: string;
  message_type: EventSubMessageType;
  /** RFC 3339 with nanoseconds, e.g. `2023-07-19T14:56:51.634234626Z`. */
  message_timestamp: string;
  /** notification / revocation only. */
  subscription_type?: string;
  subscription_version?: string;
}

export interface EventSubSession {
  id: string;
  status: 'connected' | 'reconnecting' | string;
  /** Seconds without any message after which the connection is to be considered dead (welcome only). */
  keepalive_timeout_seconds: number | null;
  /** session_reconnect only: connect here, then the old connection closes. */
  reconnect_url: string | null;
  connected_at: string;
}

export interface EventSubSubscription {
  id: string;
  status: 'enabled' | 'authorization_revoked' | 'user_removed' | 'version_removed' | 'webhook_callback_verification_pending' | string;
  type: string;
  version: string;
  cost: number;
  condition: Record<string, string>;
  transport: { method: 'websocket'; session_id: string } | { method: string; [key: string]: unknown };
  created_at: string;
}

export type EventSubFrame =
  | { metadata: EventSubMetadata & { message_type: 'session_welcome' | 'session_reconnect' }; payload: { session: EventSubSession } }
  | { metadata: EventSubMetadata & { message_type: 'session_keepalive' }; payload: Record<string, never> }
  | { metadata: EventSubMetadata & { message_type: 'notification' }; payload: { subscription: EventSubSubscription; event: Record<string, unknown> } }
  | { metadata: EventSubMetadata & { message_type: 'revocation' }; payload: { subscription: EventSubSubscription } };

/** What a notification's normalizer needs besides the event. */
export interface EventSubNormalizeContext {
  creatorId: string;
  /** Kernel clock time the frame was received (ms). */
  receivedAt: number;
  /** `metadata.message_timestamp` in ms: when Twitch sent it. */
  sentAt: number;
  /** `metadata.message_id`. */
  messageId: string;
}

/**
 * What one notification means. Chat types give the same kinds as an IRC
 * line (so both transports feed one pipeline); channel events give
 * `channel-event` with the kernel event name and its JSON payload.
 */
export type NormalizedNotification =
  | Extract<NormalizedLine, { kind: 'message' | 'notice' | 'deleted' | 'cleared' | 'user-timeout' | 'room-state' | 'ignored' | 'failed' }>
  | { kind: 'channel-event'; event: string; payload: Record<string, unknown> & { creatorId: string; at: number } };

/** A normalizer of one subscription type (any version it knows; others are `ignored`). */
export type NotificationNormalizer = (event: Record<string, unknown>, version: string, ctx: EventSubNormalizeContext) => NormalizedNotification;
