/** Putting a normalized chat item on the bus as its event (`chat.message`, `chat.notice`, ...). */
import type { EventBus, Logger } from '@streamsuites/kernel';
import type { NormalizedItem } from './types.js';

export function emitNormalized(bus: EventBus, logger: Logger, result: NormalizedItem): void {
  switch (result.kind) {
    case 'message':
      bus.emit('chat.message', result.message);
      return;
    case 'notice':
      bus.emit('chat.notice', result.notice);
      return;
    case 'deleted':
      bus.emit('chat.deleted', result.event);
      return;
    case 'user-timeout':
      bus.emit('chat.user-timeout', result.event);
      return;
    case 'ignored':
      logger.debug({ reason: result.reason, type: result.type }, 'YouTube chat item skipped');
      return;
    case 'failed':
      // Counted and reported by the session (platform.normalize-failed).
      return;
    default:
      return;
  }
}
