import { EventEmitter } from 'eventemitter3';
import { serializeError, type SerializedError } from './coded-error.js';
import { SS_ERR_ABORTED, SS_ERR_WAIT_TIMEOUT } from './errors.js';
import type { EventName, StreamSuitesEvents } from './events.js';

export type Listener<E extends EventName> = (payload: StreamSuitesEvents[E]) => void | Promise<void>;
export type AnyListener = (event: EventName, payload: unknown) => void;

export interface EventBusOptions {
  /**
   * Sees every listener failure with its stack (the kernel logs it). A
   * failure of a `kernel.listener.error` listener is only reported here,
   * never re-emitted, so it cannot recurse.
   */
  onListenerError?: (error: unknown, event: string) => void;
  /** Applied to a listener's error before it goes on the bus (secret redaction). */
  sanitize?: (error: SerializedError) => SerializedError;
}

export interface WaitForOptions {
  /** Milliseconds before rejecting with SS_ERR_WAIT_TIMEOUT. */
  timeout?: number;
  signal?: AbortSignal;
}

type Wrapped = ((payload: unknown) => void) & { readonly original: Function };

const LISTENER_ERROR = 'kernel.listener.error';

/**
 * The typed event bus, on eventemitter3. Listeners are wrapped once at
 * subscription so that emit stays eventemitter3's own loop: a throwing or
 * rejecting listener is reported as `kernel.listener.error` and the other
 * listeners still run.
 */
export class EventBus {
  readonly #ee = new EventEmitter();
  #taps: AnyListener[] | null = null;
  readonly #onListenerError: (error: unknown, event: string) => void;
  readonly #sanitize: (error: SerializedError) => SerializedError;

  constructor(options: EventBusOptions = {}) {
    this.#onListenerError = options.onListenerError ?? (() => {});
    this.#sanitize = options.sanitize ?? ((error) => error);
  }

  /** Subscribes; returns a function that unsubscribes. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    this.#ee.on(event, this.#wrap(event, listener));
    return () => this.off(event, listener);
  }

  /** Subscribes for one emission. */
  once<E extends EventName>(event: E, listener: Listener<E>): () => void {
    this.#ee.once(event, this.#wrap(event, listener));
    return () => this.off(event, listener);
  }

  off<E extends EventName>(event: E, listener: Listener<E>): void {
    for (const wrapped of this.#ee.listeners(event) as Wrapped[]) {
      if (wrapped.original === listener) {
        this.#ee.off(event, wrapped);
        return;
      }
    }
  }

  emit<E extends EventName>(event: E, payload: StreamSuitesEvents[E]): boolean {
    if (this.#taps !== null) this.#tap(event, payload);
    return this.#ee.emit(event, payload);
  }

  /**
   * Observes every event (recorders, chat logs, exports). Taps run before the
   * event's own listeners and are isolated like listeners.
   */
  onAny(listener: AnyListener): () => void {
    this.#taps = [...(this.#taps ?? []), listener];
    return () => {
      const rest = (this.#taps ?? []).filter((l) => l !== listener);
      this.#taps = rest.length === 0 ? null : rest;
    };
  }

  listenerCount(event: EventName): number {
    return this.#ee.listenerCount(event);
  }

  /** Resolves with the first payload of `event` that satisfies `predicate`. */
  waitFor<E extends EventName>(
    event: E,
    predicate: (payload: StreamSuitesEvents[E]) => boolean = () => true,
    options: WaitForOptions = {},
  ): Promise<StreamSuitesEvents[E]> {
    const { timeout, signal } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new SS_ERR_ABORTED(`waitFor("${event}")`, { cause: signal.reason }));
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        this.off(event, listener);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const listener: Listener<E> = (payload) => {
        if (!predicate(payload)) return;
        cleanup();
        resolve(payload);
      };
      const onAbort = () => {
        cleanup();
        reject(new SS_ERR_ABORTED(`waitFor("${event}")`, { cause: signal?.reason }));
      };
      this.on(event, listener);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeout !== undefined) {
        timer = setTimeout(() => {
          cleanup();
          reject(new SS_ERR_WAIT_TIMEOUT(event, timeout));
        }, timeout);
        timer.unref?.();
      }
    });
  }

  removeAllListeners(): void {
    this.#ee.removeAllListeners();
    this.#taps = null;
  }

  #wrap(event: string, listener: Function): Wrapped {
    const report = (error: unknown) => this.#reportListenerError(event, error);
    const wrapped = (payload: unknown): void => {
      try {
        const result = listener(payload);
        if (result !== undefined && result !== null && typeof result.then === 'function') {
          result.then(undefined, report);
        }
      } catch (error) {
        report(error);
      }
    };
    Object.defineProperty(wrapped, 'original', { value: listener });
    return wrapped as Wrapped;
  }

  #tap(event: EventName, payload: unknown): void {
    for (const tap of this.#taps!) {
      try {
        tap(event, payload);
      } catch (error) {
        this.#reportListenerError(event, error);
      }
    }
  }

  #reportListenerError(event: string, error: unknown): void {
    this.#onListenerError(error, event);
    if (event === LISTENER_ERROR) return;
    this.emit(LISTENER_ERROR, { event, error: this.#sanitize(serializeError(error)) });
  }
}
