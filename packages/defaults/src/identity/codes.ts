import { randomInt } from 'node:crypto';
import type { AccountRef, Clock, StateStore } from '@streamsuites/kernel';

/** Pending (and recently used or expired) link codes, by code. Never exported. */
export const CODES_NAMESPACE = 'identity.codes';

/** No 0/O, 1/I/L: a viewer copies the code by eye from one chat to another. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

export interface PendingCode {
  /** The account that asked: only another account may type it. */
  platform: string;
  userId: string;
  /** Where it was asked (for logs). */
  creatorId: string;
  issuedAt: number;
  expiresAt: number;
  /** Set once the code linked two accounts: kept until it would have expired, so a reuse is told apart from a typo. */
  usedAt?: number;
}

export type CodeCheck =
  | { kind: 'ok'; pending: PendingCode }
  | { kind: 'unknown' }
  | { kind: 'used' }
  | { kind: 'expired'; agoMs: number }
  | { kind: 'same-account' };

export interface LinkCodesOptions {
  store: StateStore;
  clock: Clock;
  ttlMs: number;
  /** Codes one account may ask for within `rateWindowMs`. */
  maxPerAccount: number;
  rateWindowMs: number;
}

/** A code a viewer reads, uppercase, without spaces. */
export function normalizeCode(text: string): string {
  return text.trim().toUpperCase();
}

/**
 * The one-time codes of the `!link` flow. Codes are random (crypto), single
 * use, bound to the account that asked, and expire on the kernel clock; they
 * are written to the state store before they are shown, so a restart keeps
 * them. Expired and used codes stay one more TTL (to tell "expired" and
 * "already used" from "unknown"), then are swept.
 */
export class LinkCodes {
  readonly #codes = new Map<string, PendingCode>();
  /** Code requests per account key (times, kernel clock); in memory: a restart forgives. */
  readonly #requests = new Map<string, number[]>();
  readonly #options: LinkCodesOptions;
  #loaded: Promise<void> | undefined;
  #writes: Promise<void> = Promise.resolve();

  constructor(options: LinkCodesOptions) {
    this.#options = options;
  }

  load(): Promise<void> {
    return (this.#loaded ??= (async () => {
      for (const [code, value] of await this.#options.store.entries<PendingCode>(CODES_NAMESPACE)) {
        if (isPendingCode(value)) this.#codes.set(code, value);
        else await this.#options.store.delete(CODES_NAMESPACE, code);
      }
      for (const code of this.#dropExpired()) await this.#options.store.delete(CODES_NAMESPACE, code);
    })());
  }

  /** Whether the account may ask for another code now (counts the request when it may). */
  allowRequest(account: AccountRef): boolean {
    const now = this.#options.clock.now();
    const key = `${account.platform}:${account.userId}`;
    const recent = (this.#requests.get(key) ?? []).filter((at) => at > now - this.#options.rateWindowMs);
    if (recent.length >= this.#options.maxPerAccount) {
      this.#requests.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#requests.set(key, recent);
    return true;
  }

  /**
   * A new code for the account (its earlier unused codes are withdrawn);
   * stored before it resolves. Memory changes first, in one synchronous
   * step, so two requests racing each other leave one valid code.
   */
  async issue(account: AccountRef, creatorId: string): Promise<{ code: string; expiresAt: number }> {
    const now = this.#options.clock.now();
    const withdrawn: string[] = [];
    for (const [code, pending] of this.#codes) {
      if (pending.usedAt === undefined && pending.platform === account.platform && pending.userId === account.userId) withdrawn.push(code);
    }
    for (const code of withdrawn) this.#codes.delete(code);
    const gone = [...withdrawn, ...this.#dropExpired()];
    let code = newCode();
    while (this.#codes.has(code)) code = newCode();
    const pending: PendingCode = { platform: account.platform, userId: account.userId, creatorId, issuedAt: now, expiresAt: now + this.#options.ttlMs };
    this.#codes.set(code, pending);
    // Store writes in call order: a later request's delete of this code must not overtake its set.
    const write = this.#writes.then(async () => {
      await Promise.all(gone.map((old) => this.#options.store.delete(CODES_NAMESPACE, old)));
      await this.#options.store.set(CODES_NAMESPACE, code, { ...pending });
    });
    this.#writes = write.catch(() => undefined);
    try {
      await write;
    } catch (error) {
      this.#codes.delete(code);
      throw error;
    }
    return { code, expiresAt: pending.expiresAt };
  }

  /** What typing `code` from `account` would do now (nothing changes). */
  check(code: string, account: AccountRef): CodeCheck {
    const pending = this.#codes.get(normalizeCode(code));
    if (pending === undefined) return { kind: 'unknown' };
    if (pending.usedAt !== undefined) return { kind: 'used' };
    const now = this.#options.clock.now();
    if (now >= pending.expiresAt) return { kind: 'expired', agoMs: now - pending.expiresAt };
    if (pending.platform === account.platform && pending.userId === account.userId) return { kind: 'same-account' };
    return { kind: 'ok', pending };
  }

  /**
   * Marks a checked code used. In memory at once (a second `check` in the
   * same tick sees it used), then in the store.
   */
  async consume(code: string): Promise<void> {
    const key = normalizeCode(code);
    const pending = this.#codes.get(key);
    if (pending === undefined) return;
    const used: PendingCode = { ...pending, usedAt: this.#options.clock.now() };
    this.#codes.set(key, used);
    await this.#options.store.set(CODES_NAMESPACE, key, { ...used });
  }

  /** Codes kept (pending, used or expired but not yet swept); for tests and status. */
  get size(): number {
    return this.#codes.size;
  }

  /** Forgets codes one TTL past their expiry (synchronously); returns them, for the store. */
  #dropExpired(): string[] {
    const horizon = this.#options.clock.now() - this.#options.ttlMs;
    const dropped: string[] = [];
    for (const [code, pending] of this.#codes) if (pending.expiresAt <= horizon) dropped.push(code);
    for (const code of dropped) this.#codes.delete(code);
    return dropped;
  }
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

function isPendingCode(value: unknown): value is PendingCode {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<PendingCode>;
  return (
    typeof v.platform === 'string' &&
    typeof v.userId === 'string' &&
    typeof v.creatorId === 'string' &&
    typeof v.issuedAt === 'number' &&
    typeof v.expiresAt === 'number' &&
    (v.usedAt === undefined || typeof v.usedAt === 'number')
  );
}
