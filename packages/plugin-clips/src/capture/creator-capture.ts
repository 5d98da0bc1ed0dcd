import { serializeError, type LiveStreamInput, type Platform, type StreamSource } from '@streamsuites/kernel';
import { SS_ERR_CLIPS_CAPTURE_INVALID } from '../ffmpeg/errors.js';
import { headerInputArgs, type CaptureInput } from './args.js';
import type { CaptureStatusEvent, CaptureSupervisorOptions } from './options.js';
import type { CaptureSupervisor } from './supervisor.js';

/** `creators.<id>.config.clips.capture` as the plugin sees it. */
export interface CreatorCaptureConfig {
  input?: CaptureInput | undefined;
  source?: string | undefined;
  always: boolean;
}

export interface CreatorCaptureOptions {
  creatorId: string;
  /** Undefined: no capture config (stream sources may still feed a capture). */
  config: CreatorCaptureConfig | undefined;
  /** The stream sources platform plugins contributed, by platform. */
  sources: ReadonlyMap<Platform, StreamSource>;
  /** A new supervisor (not started) reading `input`, reporting to `onStatus`. */
  newSupervisor: (input: CaptureSupervisorOptions['input'], onStatus: (event: CaptureStatusEvent) => void) => CaptureSupervisor;
  /** Registers a secret value (the kernel's SecretRegistry `add`). */
  addSecret: (value: string) => void;
  /** Secret-free text (registered secrets, then URL queries and user info masked). */
  redact: (text: string) => string;
  /** A resolved input (`via` and platform only: never the URL). */
  onResolved?: (info: { platform: Platform; via: string }) => void;
}

/**
 * One creator's capture and who owns it.
 *
 * - A fixed `capture.input` starts on any `stream.online` and stops on any
 *   `stream.offline` (or only that platform's, with `capture.source`).
 * - Otherwise, when a stream source exists for `capture.source` (default:
 *   the first platform to go live that has one), the capture reads what
 *   `source.resolve()` returns, resolved again before every ffmpeg run (a
 *   tokenized URL is always fresh), and belongs to that platform: only its
 *   `stream.offline` stops it.
 * - `capture.always` starts it with the creator (with `input`, or with
 *   `source` for platforms that never say they are live).
 *
 * A stopped supervisor cannot start again: every live session gets a new one.
 */
export class CreatorCapture {
  readonly #o: CreatorCaptureOptions;
  #supervisor: CaptureSupervisor | undefined;
  /** The platform whose stream this capture reads (source captures), or whose online started it. */
  #owner: Platform | undefined;
  /** Why the last resolve failed (secret-free), until one succeeds. */
  #resolveError: string | undefined;
  #lastReason: string | undefined;
  /** The last stop: a new session starts after it (both use the same buffer folder, which a stop empties). */
  #stopped: Promise<void> = Promise.resolve();

  constructor(options: CreatorCaptureOptions) {
    this.#o = options;
    const config = options.config;
    if (config === undefined || config.input !== undefined) return;
    if (config.source !== undefined && !options.sources.has(config.source)) {
      const known = [...options.sources.keys()].join(', ') || 'none';
      throw new SS_ERR_CLIPS_CAPTURE_INVALID(
        `capture.source "${config.source}" of creator "${options.creatorId}": no plugin provides a stream source for it (stream sources: ${known}); enable that platform's plugin or set capture.input`,
      );
    }
    if (config.always && config.source === undefined) {
      throw new SS_ERR_CLIPS_CAPTURE_INVALID(`capture.always of creator "${options.creatorId}" needs capture.input or capture.source (which platform's stream to capture)`);
    }
  }

  get supervisor(): CaptureSupervisor | undefined {
    return this.#supervisor;
  }

  /** The platform the running capture belongs to (undefined when none runs, or for an input capture without `source`). */
  get owner(): Platform | undefined {
    return this.#owner;
  }

  get running(): boolean {
    return this.#supervisor?.status === 'running';
  }

  /** The creator started: `capture.always` captures from now on. */
  creatorStarted(): void {
    const config = this.#o.config;
    if (config?.always) this.#start(config.source);
  }

  /** `stream.online` on `platform`. */
  online(platform: Platform): void {
    if (this.#supervisor !== undefined) return;
    const config = this.#o.config;
    if (config?.source !== undefined && platform !== config.source) return;
    if (config?.input === undefined && !this.#o.sources.has(platform)) return; // nothing to capture from there
    this.#start(platform);
  }

  /** `stream.offline` on `platform`: stops the capture it owns. */
  async offline(platform: Platform): Promise<void> {
    if (this.#supervisor === undefined) return;
    if (this.#owner !== undefined && platform !== this.#owner) return;
    await this.stop();
  }

  stop(): Promise<void> {
    const supervisor = this.#supervisor;
    this.#supervisor = undefined;
    this.#owner = undefined;
    this.#resolveError = undefined;
    this.#lastReason = undefined;
    if (supervisor === undefined) return this.#stopped;
    const stopping = supervisor.stop();
    this.#stopped = Promise.all([this.#stopped, stopping.catch(() => {})]).then(() => {});
    return stopping;
  }

  /**
   * Why no clip can be cut now (secret-free), for SS_ERR_CLIP_NOT_LIVE;
   * undefined when nothing runs (the creator is not live).
   */
  notLiveReason(): string | undefined {
    const supervisor = this.#supervisor;
    if (supervisor === undefined) return undefined;
    if (this.#resolveError !== undefined) return this.#resolveError;
    const what = this.#owner === undefined ? 'the capture' : `the ${this.#owner} capture`;
    switch (supervisor.status) {
      case 'idle':
      case 'starting':
        return `${what} is starting`;
      case 'restarting':
        return `${what} is restarting${this.#lastReason === undefined ? '' : `: ${this.#lastReason}`}`;
      case 'stopped':
        return `${what} stopped${this.#lastReason === undefined ? '' : `: ${this.#lastReason}`}`;
      default:
        return undefined;
    }
  }

  #start(platform: Platform | undefined): void {
    const config = this.#o.config;
    const fixed = config?.input;
    const source = fixed === undefined && platform !== undefined ? this.#o.sources.get(platform) : undefined;
    if (fixed === undefined && source === undefined) return;
    this.#owner = fixed === undefined || config?.source !== undefined ? platform : undefined;
    const input = fixed ?? ((signal: AbortSignal) => this.#resolve(source!, signal));
    const supervisor = this.#o.newSupervisor(input, (event) => {
      if (this.#supervisor === supervisor && event.reason !== undefined) this.#lastReason = event.reason;
    });
    this.#supervisor = supervisor;
    void this.#stopped.then(() => {
      if (this.#supervisor === supervisor) supervisor.start();
    });
  }

  async #resolve(source: StreamSource, signal: AbortSignal): Promise<CaptureInput> {
    let live: LiveStreamInput;
    try {
      live = await untilAborted(source.resolve(this.#o.creatorId, { signal }), signal);
    } catch (error) {
      if (!signal.aborted) {
        const s = serializeError(error);
        this.#resolveError = this.#o.redact(`the ${source.platform} stream could not be resolved: ${s.code ? `${s.code}: ` : ''}${s.message}`);
      }
      throw error;
    }
    // Secrets first: nothing may print the URL or a header before the registry knows them.
    for (const value of liveInputSecrets(live)) this.#o.addSecret(value);
    this.#resolveError = undefined;
    const input = liveCaptureInput(live);
    this.#o.onResolved?.({ platform: source.platform, via: String(live.via) });
    return input;
  }
}

/** `promise`, or a rejection as soon as `signal` aborts: a resolver that ignores the signal cannot hold up a stop. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A stream source's answer as capture input: the URL, its headers as ffmpeg input options. */
export function liveCaptureInput(live: LiveStreamInput): CaptureInput {
  if (typeof live?.url !== 'string') throw new SS_ERR_CLIPS_CAPTURE_INVALID('the stream source returned no url');
  const inputArgs = headerInputArgs(live.headers ?? {});
  return inputArgs.length === 0 ? { url: live.url } : { url: live.url, inputArgs };
}

/**
 * What to register as secret from a resolved stream: the whole URL, each
 * query value and the user info (ffmpeg prints segment URLs carrying the
 * same token), long path segments (YouTube and CDNs sign in the path), and
 * every header value.
 */
export function liveInputSecrets(live: LiveStreamInput): string[] {
  const out: string[] = [];
  if (typeof live?.url === 'string') {
    out.push(live.url);
    try {
      const url = new URL(live.url);
      for (const value of url.searchParams.values()) out.push(value);
      if (url.username) out.push(decodeURIComponent(url.username));
      if (url.password) out.push(decodeURIComponent(url.password));
      for (const part of url.pathname.split('/')) if (part.length >= 24) out.push(part);
    } catch {
      // Not a URL: the capture refuses it (SS_ERR_CLIPS_CAPTURE_INVALID); the whole string is registered.
    }
  }
  for (const value of Object.values(live?.headers ?? {})) if (typeof value === 'string') out.push(value);
  return out;
}
