/** Putting a normalized chat item on the bus as its event (`chat.message`, `chat.notice`, ...). */
import { redactedSample, type Clock, type EventBus, type Logger, type SecretRegistry } from '@streamsuites/kernel';
import { SS_ERR_YOUTUBE_NORMALIZE_FAILED } from './errors.js';
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

/** An item the normalizer threw on, reported with a redacted, truncated sample. Never throws: reading chat goes on. */
export function reportNormalizeFailed(
  o: { bus: EventBus; logger: Logger; clock: Clock; creatorId: string; secrets: SecretRegistry },
  item: unknown,
  reason: string,
): void {
  try {
    const error = new SS_ERR_YOUTUBE_NORMALIZE_FAILED(redactedSample(o.secrets, reason));
    const sample = redactedSample(o.secrets, serialize(item));
    o.logger.warn({ code: error.code, sample }, error.message);
    o.bus.emit('platform.normalize-failed', { creatorId: o.creatorId, platform: 'youtube', code: error.code, message: error.message, sample, at: o.clock.now() });
  } catch {
    // Reporting must never stop reading chat; the session's count stands.
  }
}

/** An item as JSON for a failure sample (whatever it holds). */
function serialize(item: unknown): string {
  try {
    return JSON.stringify(item) ?? String(item);
  } catch {
    return '[item could not be serialized]';
  }
}
