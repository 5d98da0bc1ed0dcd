/**
 * Secret redaction for logs, errors and exports. Three layers:
 * 1. keys that name secrets (`token`, `apiKey`, `clientSecret`, `password`...)
 *    have their values replaced wherever they appear in an object;
 * 2. keyed URLs (`?key=`, `access_token=`, `user:pass@`) and `oauth:` tokens
 *    inside any string are masked;
 * 3. values the kernel knows are secret (everything substituted from
 *    `${env:...}` and every value under a secret key in the manifest) are
 *    masked wherever they occur inside any string.
 */

export const REDACTED = '[redacted]';

const SECRET_KEY =
  /^(?:.*[-_])?(?:token|accesstoken|refreshtoken|apikey|api_key|streamkey|stream_key|secret|clientsecret|client_secret|password|passwd|authorization|cookie|credentials?)$/i;
const SECRET_KEY_CAMEL = /(?:Token|Secret|Password|ApiKey|StreamKey)$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || SECRET_KEY_CAMEL.test(key);
}

const URL_SECRET_PARAM =
  /([?&#](?:key|api_key|apikey|access_token|refresh_token|token|client_secret|secret|password|sig|signature|auth|code)=)[^&#\s"']+/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi;
const OAUTH_TOKEN = /\boauth:[a-z0-9]+/gi;
const BEARER = /\b(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Values shorter than this are not registered (they would mask ordinary words). */
const MIN_SECRET_LENGTH = 6;

export class SecretRegistry {
  readonly #values = new Set<string>();

  add(value: unknown): void {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) this.#values.add(value);
  }

  get size(): number {
    return this.#values.size;
  }

  redactString(input: string): string {
    let out = input;
    for (const secret of this.#values) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    if (out.includes('=') || out.includes('@')) {
      out = out.replace(URL_SECRET_PARAM, `$1${REDACTED}`).replace(URL_USERINFO, `$1${REDACTED}@`);
    }
    if (out.includes('auth:')) out = out.replace(OAUTH_TOKEN, `oauth:${REDACTED}`);
    if (out.includes('Bearer') || out.includes('Bot ')) out = out.replace(BEARER, `$1 ${REDACTED}`);
    return out;
  }

  /** Deep copy of `value` with secrets masked. Cycles become "[circular]". */
  redact<T>(value: T): T {
    return this.#redact(value, new WeakSet()) as T;
  }

  #redact(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.#redact(item, seen));
    if (value instanceof Error) return this.#redact(describeError(value), seen);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretKey(key) && item !== undefined && item !== null && item !== '' ? REDACTED : this.#redact(item, seen);
    }
    return out;
  }
}

/** Collects the values under secret keys of a config tree into the registry. */
export function collectSecrets(value: unknown, registry: SecretRegistry): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    if (isSecretKey(key) && typeof item === 'string') registry.add(item);
    else collectSecrets(item, registry);
  }
}

/** A plain view of an error for logs: code, hint, details, cause chain, aggregated errors. */
export function describeError(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: error.message };
  const { code, hint, details } = error as { code?: unknown; hint?: unknown; details?: unknown };
  if (code !== undefined) out.code = code;
  if (hint !== undefined) out.hint = hint;
  if (typeof details === 'object' && details !== null && Object.keys(details).length > 0) out.details = details;
  out.stack = error.stack;
  if (error.cause !== undefined) out.cause = error.cause instanceof Error ? describeError(error.cause) : error.cause;
  if (error instanceof AggregateError) out.errors = error.errors.map((e: unknown) => (e instanceof Error ? describeError(e) : e));
  return out;
}

/** The longest raw sample a `platform.normalize-failed` event carries. */
export const NORMALIZE_SAMPLE_LENGTH = 300;

/**
 * The redacted, truncated sample of raw platform input for a
 * `platform.normalize-failed` event: redacted whole first (a secret cut in
 * half by the truncation would no longer be recognised), then cut.
 */
export function redactedSample(secrets: SecretRegistry, raw: string): string {
  return secrets.redactString(raw).slice(0, NORMALIZE_SAMPLE_LENGTH);
}

