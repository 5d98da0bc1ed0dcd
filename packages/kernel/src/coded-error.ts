/**
 * Coded errors. Every failure the kernel reports carries a stable `SS_ERR_*`
 * code (listed in the README "Errors" table), a message saying what went wrong
 * and where, and, where we know it, a hint saying how to fix it.
 */

export interface StreamSuitesErrorOptions {
  /** Structured, JSON-serializable context (paths, ids, limits). Never secrets. */
  details?: Record<string, unknown>;
  /** The underlying error, if any. */
  cause?: unknown;
  /** How to fix it, in one sentence. */
  hint?: string;
}

export class StreamSuitesError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: StreamSuitesErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StreamSuitesError';
    this.code = code;
    this.details = options.details ?? {};
    this.hint = options.hint;
  }

  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/** A JSON-safe view of an error, used in bus payloads and CLI output. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  hint?: string;
  details?: Record<string, unknown>;
  /** The wrapped error, when there is one (so a bus listener still sees the real code). */
  cause?: SerializedError;
}

export function isStreamSuitesError(value: unknown): value is StreamSuitesError {
  return value instanceof StreamSuitesError;
}

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (error instanceof StreamSuitesError) {
    const out: SerializedError = { name: error.name, code: error.code, message: error.message };
    if (error.hint !== undefined) out.hint = error.hint;
    if (Object.keys(error.details).length > 0) out.details = { ...error.details };
    // One level is enough to tell SS_ERR_ACTION_FAILED(SS_ERR_ABORTED) from SS_ERR_ACTION_FAILED(SS_ERR_ENGAGEMENT_...).
    if (depth === 0 && error.cause !== undefined && error.cause !== null) out.cause = serializeError(error.cause, depth + 1);
    return out;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const out: SerializedError = { name: error.name, message: error.message };
    if (typeof code === 'string') out.code = code;
    return out;
  }
  return { name: 'NonError', message: typeof error === 'string' ? error : safeString(error) };
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The constructor returned by {@link defineError}. */
export interface CodedErrorClass<C extends string, A extends unknown[]> {
  new (...args: [...A] | [...A, StreamSuitesErrorOptions]): StreamSuitesError & { readonly code: C };
  readonly code: C;
  /** True when `value` is an error of this code (works across duplicated kernel copies). */
  is(value: unknown): value is StreamSuitesError & { readonly code: C };
}

/**
 * Declares one coded error. The message formatter's declared parameters are
 * the constructor's arguments; an extra trailing argument is the options
 * (cause, details, hint).
 *
 * ```ts
 * export const SS_ERR_TWITCH_AUTH = defineError('SS_ERR_TWITCH_AUTH',
 *   (creatorId: string) => `Twitch rejected the token of creator "${creatorId}"`,
 *   'Generate a new token and set it in the manifest.');
 * throw new SS_ERR_TWITCH_AUTH('daniel', { cause: err });
 * ```
 *
 * The formatter must not use default or rest parameters: its `length` tells
 * the constructor where the options argument starts.
 */
export function defineError<const C extends string, A extends unknown[]>(
  code: C,
  format: (...args: A) => string,
  hint?: string | ((...args: A) => string),
): CodedErrorClass<C, A> {
  const arity = format.length;
  const Coded = class extends StreamSuitesError {
    static readonly code = code;
    constructor(...args: [...A] | [...A, StreamSuitesErrorOptions]) {
      const formatArgs = args.slice(0, arity) as A;
      const options = (args.length > arity ? args[arity] : undefined) as StreamSuitesErrorOptions | undefined;
      const defaultHint = typeof hint === 'function' ? hint(...formatArgs) : hint;
      super(code, format(...formatArgs), { ...options, hint: options?.hint ?? defaultHint });
    }
    static is(value: unknown): value is StreamSuitesError & { readonly code: C } {
      return typeof value === 'object' && value !== null && (value as { code?: unknown }).code === code;
    }
  };
  Object.defineProperty(Coded, 'name', { value: code });
  return Coded as unknown as CodedErrorClass<C, A>;
}
