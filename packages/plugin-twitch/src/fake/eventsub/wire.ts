/** EventSub WebSocket frames as Twitch writes them (see fixtures/eventsub/*.frame.json). */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventSubFrame, EventSubSession, EventSubSubscription } from '../../eventsub/types.js';

let lastNanos = 0n;

/** RFC 3339 with nanoseconds, e.g. `2023-07-19T14:56:51.634234626Z`; strictly increasing within the process. */
export function nanoTimestamp(ms: number = Date.now()): string {
  const sub = process.hrtime.bigint() % 1_000_000n;
  let nanos = BigInt(Math.floor(ms)) * 1_000_000n + sub;
  if (nanos <= lastNanos) nanos = lastNanos + 1n;
  lastNanos = nanos;
  const wholeMs = Number(nanos / 1_000_000n);
  const iso = new Date(wholeMs).toISOString(); // 2023-07-19T14:56:51.634Z
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}

/** A session id shaped like Twitch's (`AQoQILE98gtqShGmLD7AM6yJThAB`). */
export function newSessionId(): string {
  return `AgoQ${randomBytes(18).toString('base64url')}`;
}

export const newMessageId = (): string => randomUUID();

export function welcomeFrame(session: EventSubSession, type: 'session_welcome' | 'session_reconnect'): EventSubFrame {
  return {
    metadata: { message_id: newMessageId(), message_type: type, message_timestamp: nanoTimestamp() },
    payload: { session },
  } as EventSubFrame;
}

export function keepaliveFrame(): EventSubFrame {
  return { metadata: { message_id: newMessageId(), message_type: 'session_keepalive', message_timestamp: nanoTimestamp() }, payload: {} };
}

export function notificationFrame(messageId: string, subscription: EventSubSubscription, event: Record<string, unknown>): EventSubFrame {
  return {
    metadata: {
      message_id: messageId,
      message_type: 'notification',
      message_timestamp: nanoTimestamp(),
      subscription_type: subscription.type,
      subscription_version: subscription.version,
    },
    payload: { subscription: { ...subscription }, event },
  };
}

export function revocationFrame(subscription: EventSubSubscription): EventSubFrame {
  return {
    metadata: {
      message_id: newMessageId(),
      message_type: 'revocation',
      message_timestamp: nanoTimestamp(),
      subscription_type: subscription.type,
      subscription_version: subscription.version,
    },
    payload: { subscription: { ...subscription } },
  };
}

/** Close codes of the EventSub WebSocket server (Twitch's "Close message" table; Twitch CLI close_messages.go). */
export const CLOSE = {
  internalError: { code: 4000, reason: 'internal server error', status: 'websocket_internal_error' },
  inboundTraffic: { code: 4001, reason: 'sent inbound traffic', status: 'websocket_received_inbound_traffic' },
  failedPingPong: { code: 4002, reason: 'failed ping pong', status: 'websocket_failed_ping_pong' },
  unused: { code: 4003, reason: 'connection unused', status: 'websocket_connection_unused' },
  reconnectGraceExpired: { code: 4004, reason: 'client reconnect grace time expired', status: 'websocket_disconnected' },
  networkTimeout: { code: 4005, reason: 'network timeout', status: 'websocket_network_timeout' },
  networkError: { code: 4006, reason: 'network error', status: 'websocket_network_error' },
  invalidReconnect: { code: 4007, reason: 'invalid reconnect attempt', status: 'websocket_disconnected' },
} as const;
