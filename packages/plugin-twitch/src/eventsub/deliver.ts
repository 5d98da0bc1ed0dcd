import { redactedSample, type Clock, type EventBus, type Logger, type SecretRegistry } from '@streamsuites/kernel';
import type { RoomStates } from '../normalize/rooms.js';
import type { OwnEchoes } from '../own-echoes.js';
import type { NormalizedNotification } from './types.js';

export interface EventSubDeliveryOptions {
  creatorId: string;
  /** The bot's login: its own messages coming back are echoes. */
  login: string;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  secrets: SecretRegistry;
  /** Shared with the IRC connections: one event per message whichever transport saw it first. */
  seen: { add(id: string): boolean };
  /** Shared with the IRC connections: a room state is emitted when it changed, by either. */
  rooms: RoomStates;
  /** Lines the bot sent, for EventSub's copy of them (IRC's copies are counted apart). */
  echoes: OwnEchoes;
}

export interface EventSubDeliveryStats {
  duplicates: number;
  ownEchoes: number;
  ignored: number;
  failed: number;
}

/**
 * Puts normalized EventSub notifications on the bus with the same keys the
 * IRC path uses (message ids, `CLEARMSG <id>`, the clear keys), so with both
 * transports on each chat event is emitted once, by whichever saw it first.
 */
export function eventSubDelivery(o: EventSubDeliveryOptions): { deliver(n: NormalizedNotification, type: string): void; stats: EventSubDeliveryStats } {
  const stats: EventSubDeliveryStats = { duplicates: 0, ownEchoes: 0, ignored: 0, failed: 0 };
  const first = (key: string) => {
    if (o.seen.add(key)) return true;
    stats.duplicates += 1;
    return false;
  };
  const { bus } = o;
  function deliver(n: NormalizedNotification, type: string): void {
    switch (n.kind) {
      case 'message':
        if (n.message.author.login === o.login && o.echoes.consume(n.message.text, o.clock.now())) {
          stats.ownEchoes += 1;
          return;
        }
        if (first(n.message.id)) bus.emit('chat.message', n.message);
        return;
      case 'notice':
        if (first(n.notice.id)) bus.emit('chat.notice', n.notice);
        return;
      case 'deleted':
        if (first(`CLEARMSG ${n.event.messageId}`)) bus.emit('chat.deleted', n.event);
        return;
      case 'cleared':
        if (n.key === undefined || first(n.key)) bus.emit('chat.cleared', n.event);
        return;
      case 'user-timeout':
        if (n.key === undefined || first(n.key)) bus.emit('chat.user-timeout', n.event);
        return;
      case 'room-state':
        if (o.rooms.changed(n.event.channel, n.event.state)) bus.emit('chat.room-state', n.event);
        else stats.duplicates += 1;
        return;
      case 'channel-event':
        // Channel events have no IRC twin; the frame id was deduplicated already.
        (bus.emit as (event: string, payload: unknown) => void)(n.event, n.payload);
        return;
      case 'ignored':
        stats.ignored += 1;
        return;
      case 'failed': {
        stats.failed += 1;
        const sample = redactedSample(o.secrets, `${type}: ${n.reason}`);
        o.logger.warn({ code: 'SS_ERR_TWITCH_NORMALIZE_FAILED', type }, `an EventSub ${type} notification could not be normalized and was skipped`);
        bus.emit('platform.normalize-failed', { creatorId: o.creatorId, platform: 'twitch', code: 'SS_ERR_TWITCH_NORMALIZE_FAILED', message: `EventSub ${type}: ${n.reason}`, sample, at: o.clock.now() });
        return;
      }
    }
  }
  return { deliver, stats };
}
