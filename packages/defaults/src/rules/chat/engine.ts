import type { ActionDescriptor, ActionDispatcher, ActionRecord, ChatMessage, Clock, EventBus, IdentityMap, Logger, StateStore } from '@streamsuites/kernel';
import { SS_ERR_ACTION_NO_HANDLER } from '../../errors.js';
import { fillActions } from '../../triggers/template.js';
import { matchTriggerRegex } from '../../triggers/regex.js';
import { firstToken } from '../../triggers/trigger-index.js';
import { onPlatform, type CompiledBan, type CompiledChatBehaviour, type CompiledRateLimit, type ModerationKind } from './compile.js';
import { SS_ERR_RULES_CURRENCY_UNKNOWN, SS_ERR_RULES_MODERATION_UNSUPPORTED } from './errors.js';
import { formatMicros, matchingRules, normalizeAmount, type CompiledMonetization } from './money.js';

/** State store namespace of the people already seen (greeted) per creator: key `<creatorId>\u0000<personKey>`. */
export const SEEN_NAMESPACE = 'chat-rules.seen';

/** One creator's rules as one value: a reload replaces the whole value, so a message sees old or new rules, never a mix. */
export interface CreatorRules {
  readonly chat?: CompiledChatBehaviour;
  readonly money?: CompiledMonetization;
}

interface Attached {
  rules: CreatorRules;
  signal: AbortSignal;
}

/** Counters for status and tests. */
export interface ChatRulesStats {
  moderated: number;
  greeted: number;
  autoReplies: number;
  rateLimited: number;
  monetized: number;
  /** Monetary events skipped for want of a rate. */
  skippedCurrency: number;
  /** Moderation sent as a warning because the platform cannot do it. */
  fallbacks: number;
}

export interface ChatRulesEngineDeps {
  bus: EventBus;
  dispatcher: ActionDispatcher;
  clock: Clock;
  store: StateStore;
  identity: IdentityMap;
  logger: Logger;
  /** False in a replay: greetings are judged against the store but nothing is written to it. */
  persist?: boolean;
}

/** How long a reply's text is taken for our own echo when it shows up in the chat. */
const ECHO_WINDOW_MS = 60_000;
const PRUNE_EVERY = 1000;

const MODERATION_TYPE: Record<Exclude<ModerationKind, 'warn'>, string> = { delete: 'chat.delete', timeout: 'chat.timeout' };

/**
 * Runs every chat message through its creator's chatBehaviour and
 * monetization rules, beside (not inside) the trigger pipeline: monetary
 * rules first; then, for authors without an exempt role, banned phrases and
 * the per-person rate limit (a message moderated goes no further); then the
 * first-time greeting and the first auto-reply that matches. Per-person
 * state keys on the identity map's person key, so linked accounts are one
 * person. Actions go through the action dispatcher like trigger actions.
 */
export class ChatRulesEngine {
  readonly #deps: ChatRulesEngineDeps;
  readonly #creators = new Map<string, Attached>();
  /** `<creator>\u0000<person>` already seen in this process (the store remembers across restarts). */
  readonly #claimed = new Set<string>();
  /** `<creator>\u0000<reply key>` → last time the auto-reply ran. */
  readonly #replyCooldowns = new Map<string, number>();
  /** `<creator>\u0000<person>` → message times in the rate-limit window, and when it last acted. */
  readonly #recent = new Map<string, { times: number[]; actedAt: number }>();
  /** What was reported once: `<creator>\u0000<platform>\u0000<type>` unsupported, `<creator>\u0000<currency>` unknown. */
  readonly #unsupported = new Set<string>();
  readonly #reportedCurrencies = new Set<string>();
  /**
   * Replies sent, `<creator>\u0000<platform>\u0000<text>` → send times: some
   * platforms (YouTube) show the bot's own messages in the chat it reads, and
   * the rules must not greet or moderate their own replies.
   */
  readonly #echoes = new Map<string, number[]>();
  readonly stats: ChatRulesStats = { moderated: 0, greeted: 0, autoReplies: 0, rateLimited: 0, monetized: 0, skippedCurrency: 0, fallbacks: 0 };
  #unsubscribe: (() => void) | undefined;
  /** Messages counted by the rate limit (pruning every PRUNE_EVERY). */
  #counted = 0;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(deps: ChatRulesEngineDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unsubscribe ??= this.#deps.bus.on('chat.message', (message) => this.handle(message));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Puts a creator's rules in place (start) or swaps them (reload): one Map.set, so each message sees one version. */
  attach(creatorId: string, rules: CreatorRules, signal: AbortSignal): void {
    this.#creators.set(creatorId, { rules, signal });
  }

  /** Replaces the rules of a creator already attached (a top-level default changed on reload); false when it is not. */
  swap(creatorId: string, rules: CreatorRules): boolean {
    const attached = this.#creators.get(creatorId);
    if (attached === undefined) return false;
    this.#creators.set(creatorId, { rules, signal: attached.signal });
    return true;
  }

  /** The creators attached now. */
  creatorIds(): string[] {
    return [...this.#creators.keys()];
  }

  /** The rules a creator runs now (tests and status). */
  rulesOf(creatorId: string): CreatorRules | undefined {
    return this.#creators.get(creatorId)?.rules;
  }

  detach(creatorId: string): void {
    this.#creators.delete(creatorId);
  }

  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** One message through its creator's rules; resolves when its actions finished. */
  async handle(message: ChatMessage): Promise<void> {
    if (typeof message !== 'object' || message === null) return;
    const attached = this.#creators.get(message.creatorId);
    if (attached === undefined) return;
    const { rules, signal } = attached; // read once: a swap during this message does not change what it sees
    if (this.#isOwnEcho(message)) return;
    this.#inFlight += 1;
    try {
      if (rules.money !== undefined && message.monetary !== undefined) await this.#monetize(rules.money, message, signal);
      const chat = rules.chat;
      if (chat === undefined) return;
      const person = `${message.creatorId}\u0000${this.#deps.identity.personKey(message.platform, message.author.id)}`;
      const exempt = message.author.roles.some((role) => chat.exemptRoles.has(role));
      if (!exempt) {
        const ban = this.#bannedBy(chat, message);
        if (ban !== undefined) {
          this.stats.moderated += 1;
          await this.#moderate(ban.action, ban, message, signal, `ban:${ban.index}`);
          return;
        }
        if (chat.rateLimit !== undefined && onPlatform(chat.rateLimit.platforms, message.platform) && (await this.#rateLimited(chat.rateLimit, person, message, signal))) return;
      }
      if (chat.greeting !== undefined && onPlatform(chat.greeting.platforms, message.platform)) await this.#greet(chat.greeting.text, person, message, signal);
      await this.#autoReply(chat, message, signal);
    } catch (error) {
      this.#deps.logger.error({ err: error, creator: message.creatorId, messageId: message.id }, 'chat rules failed for a message');
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0 && this.#idleWaiters.length > 0) {
        const waiters = this.#idleWaiters;
        this.#idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  /**
   * Why a message is being removed by the creator's banned phrases (delete
   * or timeout; a warning leaves it in chat), for the trigger pipeline's
   * chat filter: a message on its way out must not fire triggers.
   * Synchronous; the same check `handle` makes.
   */
  removing(message: ChatMessage): string | undefined {
    if (typeof message !== 'object' || message === null || typeof message.text !== 'string') return undefined;
    const chat = this.#creators.get(message.creatorId)?.rules.chat;
    if (chat === undefined || chat.bans.length === 0) return undefined;
    if (Array.isArray(message.author?.roles) && message.author.roles.some((role) => chat.exemptRoles.has(role))) return undefined;
    const ban = this.#bannedBy(chat, message);
    return ban === undefined || ban.action === 'warn' ? undefined : `banned phrase ${ban.index} (${ban.action})`;
  }

  /** The first banned phrase (in the order written) the message contains, on this platform. */
  #bannedBy(chat: CompiledChatBehaviour, message: ChatMessage): CompiledBan | undefined {
    let best: number | undefined;
    for (const id of chat.banPhrases.find(message.text)) {
      const owner = chat.banPhraseOwners[id]!;
      if (onPlatform(chat.bans[owner]!.platforms, message.platform) && (best === undefined || owner < best)) best = owner;
    }
    for (const { ban, regex } of chat.banRegexes) {
      if (best !== undefined && ban > best) break;
      if (onPlatform(chat.bans[ban]!.platforms, message.platform) && matchTriggerRegex(regex, message.text) !== undefined) best = ban;
    }
    return best === undefined ? undefined : chat.bans[best];
  }

  /** Counts the message; over the limit, acts (delete: every extra message; warn / timeout: once per window). True when it acted. */
  async #rateLimited(limit: CompiledRateLimit, person: string, message: ChatMessage, signal: AbortSignal): Promise<boolean> {
    const now = this.#deps.clock.now();
    const entry = this.#recent.get(person) ?? { times: [], actedAt: Number.NEGATIVE_INFINITY };
    entry.times = entry.times.filter((t) => t > now - limit.windowMs);
    entry.times.push(now);
    this.#recent.set(person, entry);
    if (++this.#counted % PRUNE_EVERY === 0) this.#prune(now, limit.windowMs);
    if (entry.times.length <= limit.messages) return false;
    if (limit.action !== 'delete' && now - entry.actedAt < limit.windowMs) return true;
    entry.actedAt = now;
    this.stats.rateLimited += 1;
    await this.#moderate(limit.action, { timeoutSec: limit.timeoutSec, warnText: limit.warnText, reason: 'chat rate limit' }, message, signal, 'rate');
    return true;
  }

  /** Forgets people whose window is over (the map would otherwise keep everyone who ever chatted). */
  #prune(now: number, windowMs: number): void {
    for (const [person, entry] of this.#recent) {
      if (entry.times.every((t) => t <= now - windowMs) && now - entry.actedAt >= windowMs) this.#recent.delete(person);
    }
  }

  /** Greets a person's first message ever for the creator: claimed here at once (no double greeting), remembered in the store. */
  async #greet(text: string, person: string, message: ChatMessage, signal: AbortSignal): Promise<void> {
    if (this.#claimed.has(person)) return;
    this.#claimed.add(person);
    const seen = await this.#deps.store.get(SEEN_NAMESPACE, person);
    if (seen !== undefined) return;
    if (this.#deps.persist !== false) await this.#deps.store.set(SEEN_NAMESPACE, person, { at: this.#deps.clock.now(), platform: message.platform });
    this.stats.greeted += 1;
    await this.#dispatch({ type: 'chat.reply', params: { text } }, message, signal, 'greeting');
  }

  async #autoReply(chat: CompiledChatBehaviour, message: ChatMessage, signal: AbortSignal): Promise<void> {
    if (chat.autoReplies.length === 0) return;
    const keywordHits = new Set(chat.replyKeywords.find(message.text).map((id) => chat.replyKeywordOwners[id]!));
    const first = firstToken(message.text);
    const now = this.#deps.clock.now();
    for (const [position, reply] of chat.autoReplies.entries()) {
      if (!onPlatform(reply.platforms, message.platform)) continue;
      const hit =
        reply.command !== undefined ? first === reply.command : reply.regex !== undefined ? matchTriggerRegex(reply.regex, message.text) !== undefined : keywordHits.has(position);
      if (!hit) continue;
      const key = `${message.creatorId}\u0000${reply.index}\u0000${reply.command ?? ''}\u0000${reply.text}`;
      const last = this.#replyCooldowns.get(key);
      if (last !== undefined && now - last < reply.cooldownMs) continue;
      this.#replyCooldowns.set(key, now);
      this.stats.autoReplies += 1;
      await this.#dispatch({ type: 'chat.reply', params: { text: reply.text } }, message, signal, `reply:${reply.index}`);
      return;
    }
  }

  /** delete / timeout through the platform's handler; warn — and the fallback where the platform has none — as a reply. */
  async #moderate(
    kind: ModerationKind,
    rule: { timeoutSec: number; warnText: string; reason?: string },
    message: ChatMessage,
    signal: AbortSignal,
    tag: string,
  ): Promise<void> {
    const warn = () => this.#dispatch({ type: 'chat.reply', params: { text: rule.warnText } }, message, signal, `${tag}:warn`);
    if (kind === 'warn') return void (await warn());
    const type = MODERATION_TYPE[kind];
    const key = `${message.creatorId}\u0000${message.platform}\u0000${type}`;
    if (!this.#unsupported.has(key)) {
      const params = kind === 'timeout' ? { seconds: rule.timeoutSec, ...(rule.reason === undefined ? {} : { reason: rule.reason }) } : {};
      const record = await this.#dispatch({ type, params }, message, signal, `${tag}:${kind}`);
      if (record.outcome !== 'failed' || record.error?.code !== SS_ERR_ACTION_NO_HANDLER.code) return;
      // The platform cannot do it: say so once (messages in flight may have asked too), and warn from now on without asking again.
      if (!this.#unsupported.has(key)) {
        this.#unsupported.add(key);
        const error = new SS_ERR_RULES_MODERATION_UNSUPPORTED(type, message.platform, message.creatorId);
        this.#deps.logger.warn({ code: error.code, creator: message.creatorId, platform: message.platform, action: type }, error.message);
      }
    }
    this.stats.fallbacks += 1;
    await warn();
  }

  async #monetize(money: CompiledMonetization, message: ChatMessage, signal: AbortSignal): Promise<void> {
    const monetary = message.monetary!;
    const micros = normalizeAmount(money, monetary);
    if (micros === undefined) {
      this.stats.skippedCurrency += 1;
      const key = `${message.creatorId}\u0000${monetary.currency}`;
      if (!this.#reportedCurrencies.has(key)) {
        this.#reportedCurrencies.add(key);
        const error = new SS_ERR_RULES_CURRENCY_UNKNOWN(monetary.currency, message.creatorId, money.currency);
        this.#deps.logger.warn({ code: error.code, creator: message.creatorId, currency: monetary.currency }, error.message);
      }
      return;
    }
    const rules = matchingRules(money, monetary.kind, message.platform, micros);
    if (rules.length === 0) return;
    this.stats.monetized += 1;
    const values: Record<string, string> = {
      amount: formatMicros(micros),
      currency: money.currency,
      kind: monetary.kind,
      paid: monetary.display ?? `${formatMicros(monetary.amountMicros)} ${monetary.currency}`,
    };
    for (const rule of rules) {
      for (const [index, action] of rule.actions.entries()) {
        await this.#dispatch(withMoneyValues(action, values), message, signal, `${rule.id}:${action.id ?? index}`);
      }
    }
  }

  /** True (once per reply sent) when the message is the text of a reply these rules sent there within a minute. */
  #isOwnEcho(message: ChatMessage): boolean {
    if (this.#echoes.size === 0) return false; // no reply remembered: no key to build (this runs for every message)
    const key = `${message.creatorId}\u0000${message.platform}\u0000${message.text}`;
    const sent = this.#echoes.get(key);
    if (sent === undefined) return false;
    const now = this.#deps.clock.now();
    const fresh = sent.filter((at) => now - at < ECHO_WINDOW_MS);
    const own = fresh.length > 0;
    if (own) fresh.shift();
    if (fresh.length === 0) this.#echoes.delete(key);
    else this.#echoes.set(key, fresh);
    return own;
  }

  /** Placeholders filled as for triggers; the action id names the message and the rule, as trigger action ids do. */
  #dispatch(action: ActionDescriptor, message: ChatMessage, signal: AbortSignal, tag: string): Promise<ActionRecord> {
    const [filled] = fillActions([action], message, []);
    const text = filled!.type === 'chat.reply' ? filled!.params.text : undefined;
    if (typeof text === 'string') {
      // Remembered before sending: the echo can arrive before the send call returns.
      const key = `${message.creatorId}\u0000${message.platform}\u0000${text}`;
      const now = this.#deps.clock.now();
      this.#echoes.set(key, [...(this.#echoes.get(key) ?? []).filter((at) => now - at < ECHO_WINDOW_MS), now]);
    }
    return this.#deps.dispatcher.dispatch(filled!, {
      creatorId: message.creatorId,
      message,
      actionId: `${message.platform}:${message.id}:rules:${tag}`,
      signal,
    });
  }
}

const MONEY_PLACEHOLDER = /\{(amount|currency|kind|paid)\}/g;

/** {amount} {currency} {kind} {paid} in every string of the params. */
function withMoneyValues(action: ActionDescriptor, values: Record<string, string>): ActionDescriptor {
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(MONEY_PLACEHOLDER, (_, key: string) => values[key]!);
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return { ...action, params: fill(action.params ?? {}) as Record<string, unknown> };
}
