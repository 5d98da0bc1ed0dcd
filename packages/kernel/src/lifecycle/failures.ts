import { serializeError, type SerializedError, type StreamSuitesError } from '../coded-error.js';
import type { EventBus } from '../bus.js';
import type { PluginPhase } from '../events.js';
import type { SecretRegistry } from '../redact.js';
import type { PluginRecord, PluginStatus } from './plugins.js';

/**
 * Marks plugins failed and reports failures (log + `kernel.plugin.failed`).
 * Failures found before start() (register) are held until the kernel starts,
 * so listeners subscribed between createKernel() and start() still see them.
 */
export class FailureReporter {
  readonly #bus: EventBus;
  readonly #secrets: SecretRegistry;
  readonly #holding: () => boolean;
  readonly #pending: { record: PluginRecord; phase: PluginPhase; error: StreamSuitesError }[] = [];

  constructor(bus: EventBus, secrets: SecretRegistry, holding: () => boolean) {
    this.#bus = bus;
    this.#secrets = secrets;
    this.#holding = holding;
  }

  fail(record: PluginRecord, phase: PluginPhase, error: StreamSuitesError, status: PluginStatus = 'failed'): void {
    record.status = status;
    record.error = error;
    if (this.#holding()) this.#pending.push({ record, phase, error });
    else this.report(record, phase, error);
  }

  /** Reports the failures held since before start. */
  flush(): void {
    for (const { record, phase, error } of this.#pending.splice(0)) this.report(record, phase, error);
  }

  report(record: PluginRecord, phase: PluginPhase, error: StreamSuitesError, creatorId?: string): void {
    record.logger.error({ err: error, phase, ...(creatorId === undefined ? {} : { creator: creatorId }) }, error.message);
    this.#bus.emit('kernel.plugin.failed', {
      pluginId: record.plugin.id,
      ...(creatorId === undefined ? {} : { creatorId }),
      phase,
      error: failurePayload(error, this.#secrets),
    });
  }
}

/** Errors on the bus carry their cause's message, redacted: listeners may log or export them. */
function failurePayload(error: StreamSuitesError, secrets: SecretRegistry): SerializedError {
  const serialized = serializeError(error);
  const cause = error.cause instanceof Error ? error.cause.message : error.cause === undefined ? undefined : String(error.cause);
  if (cause !== undefined) serialized.message = `${serialized.message}: ${cause}`;
  return secrets.redact(serialized);
}
