import { randomInt } from 'node:crypto';
import type { AccountRef, Clock, StateStore } from '@streamsuites/kernel';

/** Pending (and recently used or expired) link codes, by code. Never exported. */
export const CODES_NAMESPACE = 'identity.codes';

/** No 0/O, 1/I/L: a viewer copies the code by eye from one chat to another. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;
/** Tries from accounts a code is not for, after which it is withdrawn: bounds guessing and griefing of one code. */
export const MAX_WRONG_ACCOUNT_TRIES = 5;

/** The account a code is for: the code is shown in public chat, so only this account may type it. */
export interface CodeTarget {
  platform: string;
  /** As the asker typed it (leading `@` dropped, spaces collapsed); matched with {@link sameName}. */
  name: string;
}

export interface PendingCode {
  /** The account that asked: it joins the target's account. */
  platform: string;
  userId: string;
  /** The asker's name in chat, for the confirmation. */
  askerName: string;
  target: CodeTarget;
  /** Where it was asked (for logs). */
  creatorId: string;
  issuedAt: number;
  expiresAt: number;
  /** Set once the code linked two accounts: kept until it would have expired, so a reuse is told apart from a typo. */
  usedAt?: number;
  /** Tries by accounts the code is not for (stored: a restart does not reset them). */
  wrongTries?: number;
  /** Set when the code was withdrawn after MAX_WRONG_ACCOUNT_TRIES; kept like a used code. */
  withdrawnAt?: number;
}

/** The account typing a code: its ids and the names chat shows of it. */
export interface Redeemer extends AccountRef {
  login?: string;
  displayName?: string;
}

export type CodeCheck =
  | { kind: 'ok'; pending: PendingCode }
  | { kind: 'unknown' }
  | { kind: 'used' }
  | { kind: 'withdrawn' }
  | { kind: 'expired'; agoMs: number }
  | { kind: 'same-account'; pending: PendingCode }
  | { kind: 'wrong-account'; pending: PendingCode };

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

/** Whether a word could be a code (tells `!link CODE` from a request missing its name). */
export function looksLikeCode(text: string): boolean {
  const code = normalizeCode(text);
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c));
}

/** A name as typed in chat, for display: no leading `@`, spaces collapsed. */
export function cleanName(text: string): string {
  return text.normalize('NFKC').trim().replace(/^@+/, '').trim().replace(/\s+/g, ' ');
}

/** The key two names compare on: cleaned, case folded (`@Anna  Smith` = `anna smith`). */
function nameKey(text: string): string {
  return cleanName(text).toLowerCase();
}

/** Whether the account's login or display name is the name (empty names match nothing). */
export function sameName(name: string, account: { login?: string; displayName?: string }): boolean {
  const wanted = nameKey(name);
  if (wanted === '') return false;
  return [account.login, account.displayName].some((n) => typeof n === 'string' && nameKey(n) === wanted);
}

/**
 * The one-time codes of the `!link` flow. Codes are random (crypto), single
 * use, bound to the account that asked and to the account it is for (a
 * platform and a name: the code is read in public chat, so anyone could type
 * it), and expire on the kernel clock; they
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
  async issue(account: AccountRef, askerName: string, target: CodeTarget, creatorId: string): Promise<{ code: string; expiresAt: number }> {
    const now = this.#options.clock.now();
    const withdrawn: string[] = [];
    for (const [code, pending] of this.#codes) {
      if (pending.usedAt === undefined && pending.platform === account.platform && pending.userId === account.userId) withdrawn.push(code);
    }
    for (const code of withdrawn) this.#codes.delete(code);
    const gone = [...withdrawn, ...this.#dropExpired()];
    let code = newCode();
    while (this.#codes.has(code)) code = newCode();
    const pending: PendingCode = {
      platform: account.platform,
      userId: account.userId,
      askerName,
      target: { ...target },
      creatorId,
      issuedAt: now,
      expiresAt: now + this.#options.ttlMs,
    };
    this.#codes.set(code, pending);
    // Store writes in call order: a later request's delete of this code must not overtake its set.
    const write = this.#writes.then(async () => {
      await Promise.all(gone.map((old) => this.#options.store.delete(CODES_NAMESPACE, old)));
      await this.#options.store.set(CODES_NAMESPACE, code, { ...pending, target: { ...pending.target } });
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
  check(code: string, account: Redeemer): CodeCheck {
    const pending = this.#codes.get(normalizeCode(code));
    if (pending === undefined) return { kind: 'unknown' };
    if (pending.usedAt !== undefined) return { kind: 'used' };
    if (pending.withdrawnAt !== undefined) return { kind: 'withdrawn' };
    const now = this.#options.clock.now();
    if (now >= pending.expiresAt) return { kind: 'expired', agoMs: now - pending.expiresAt };
    if (pending.platform === account.platform && pending.userId === account.userId) return { kind: 'same-account', pending };
    // The security check: the code is public, the account it is for is not whoever types first.
    if (pending.target.platform !== account.platform || !sameName(pending.target.name, account)) return { kind: 'wrong-account', pending };
    return { kind: 'ok', pending };
  }

  /**
   * Counts a try by an account the code is not for; the code stays valid
   * until the MAX_WRONG_ACCOUNT_TRIES-th, which withdraws it. In memory at
   * once (racing tries each count), then in the store.
   */
  async wrongAccount(code: string): Promise<{ tries: number; withdrawn: boolean }> {
    const key = normalizeCode(code);
    const pending = this.#codes.get(key);
    if (pending === undefined || pending.usedAt !== undefined || pending.withdrawnAt !== undefined) return { tries: pending?.wrongTries ?? 0, withdrawn: false };
    const tries = (pending.wrongTries ?? 0) + 1;
    const withdrawn = tries >= MAX_WRONG_ACCOUNT_TRIES;
    const next: PendingCode = { ...pending, wrongTries: tries, ...(withdrawn ? { withdrawnAt: this.#options.clock.now() } : {}) };
    this.#codes.set(key, next);
    await this.#options.store.set(CODES_NAMESPACE, key, { ...next, target: { ...next.target } });
    return { tries, withdrawn };
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
    await this.#options.store.set(CODES_NAMESPACE, key, { ...used, target: { ...used.target } });
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
  // Codes stored before they named their target are dropped: without one, anyone could type them.
  const target = v.target as Partial<CodeTarget> | undefined;
  return (
    typeof v.platform === 'string' &&
    typeof v.userId === 'string' &&
    typeof v.askerName === 'string' &&
    typeof target === 'object' &&
    target !== null &&
    typeof target.platform === 'string' &&
    typeof target.name === 'string' &&
    target.name !== '' &&
    typeof v.creatorId === 'string' &&
    typeof v.issuedAt === 'number' &&
    typeof v.expiresAt === 'number' &&
    (v.usedAt === undefined || typeof v.usedAt === 'number') &&
    (v.wrongTries === undefined || typeof v.wrongTries === 'number') &&
    (v.withdrawnAt === undefined || typeof v.withdrawnAt === 'number')
  );
}
