import { randomInt } from 'node:crypto';
import type { AccountRef, ActionDispatcher, ChatMessage, Clock, EventBus, Logger, StreamSuitesError } from '@streamsuites/kernel';
import { KNOWN_PLATFORMS } from '../rules/tiers/schema.js';
import { cleanName, looksLikeCode, MAX_WRONG_ACCOUNT_TRIES, sameName, type CodeTarget, type LinkCodes } from './codes.js';
import type { LinkFlowConfig } from './config.js';
import {
  SS_ERR_IDENTITY_CODE_EXPIRED,
  SS_ERR_IDENTITY_CODE_RATE_LIMITED,
  SS_ERR_IDENTITY_CODE_SAME_ACCOUNT,
  SS_ERR_IDENTITY_CODE_UNKNOWN,
  SS_ERR_IDENTITY_CODE_USED,
  SS_ERR_IDENTITY_CODE_WITHDRAWN,
  SS_ERR_IDENTITY_CODE_WRONG_ACCOUNT,
  SS_ERR_IDENTITY_LINK_CONFLICT,
  SS_ERR_IDENTITY_LINK_PLATFORM_UNKNOWN,
  SS_ERR_IDENTITY_STORE_FAILED,
} from './errors.js';
import type { StoredIdentityMap } from './map.js';
import './events.js';

export interface LinkFlowDeps {
  map: StoredIdentityMap;
  codes: LinkCodes;
  dispatcher: ActionDispatcher;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  config: LinkFlowConfig;
}

const PERSON_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
/** A platform word as plugins name platforms. */
const PLATFORM_WORD = /^[a-z][a-z0-9_-]{0,31}$/;
/** Longest name accepted after the platform (YouTube display names run to 100 characters). */
const MAX_NAME_LENGTH = 100;

/** A new person id for two accounts linked from chat (operator ids are the operator's; `chat-` keeps them apart). */
function newPersonId(): string {
  let id = 'chat-';
  for (let i = 0; i < 12; i++) id += PERSON_ALPHABET[randomInt(PERSON_ALPHABET.length)];
  return id;
}

/**
 * The viewer's opt-in `!link` flow, on the chat bus: `!link <platform> <name>`
 * asks for a one-time code for that other account (answered in chat),
 * `!link CODE` typed by that account — and no other: the code is read in
 * public chat — joins the two accounts into one person, `!unlink` leaves.
 * `!link` alone answers how to use it. It runs beside
 * the trigger engine, not as a trigger, so a creator needs no trigger for
 * it; only creators the config names (default: all) have it, and only when
 * `enabled`. Refusals are answered in chat and logged with their code;
 * nothing here throws into the bus.
 */
export class LinkFlow {
  readonly #deps: LinkFlowDeps;
  readonly #command: string;
  readonly #unlinkCommand: string;
  readonly #creators: ReadonlySet<string> | undefined;
  readonly #longest: number;
  readonly #inFlight = new Set<Promise<void>>();
  /** Platforms a `!link` may name: the known ones and any chat came from (a third-party platform). */
  readonly #platforms = new Set<string>(KNOWN_PLATFORMS);
  #off: (() => void) | undefined;

  constructor(deps: LinkFlowDeps) {
    this.#deps = deps;
    this.#command = deps.config.command.toLowerCase();
    this.#unlinkCommand = deps.config.unlinkCommand.toLowerCase();
    this.#creators = deps.config.creators === undefined ? undefined : new Set(deps.config.creators);
    this.#longest = Math.max(this.#command.length, this.#unlinkCommand.length);
  }

  get enabled(): boolean {
    return this.#deps.config.enabled;
  }

  /** Whether the creator's chat offers the flow. */
  offeredTo(creatorId: string): boolean {
    return this.enabled && (this.#creators === undefined || this.#creators.has(creatorId));
  }

  /** Loads pending codes and subscribes to chat (when enabled). */
  async start(): Promise<void> {
    if (!this.enabled || this.#off !== undefined) return;
    await this.#deps.codes.load();
    this.#off = this.#deps.bus.on('chat.message', (message) => this.onMessage(message));
  }

  stop(): void {
    this.#off?.();
    this.#off = undefined;
  }

  /** Resolves once every command seen so far is answered. */
  idle(): Promise<void> {
    // Nothing in flight is the usual case, and a replay asks between every two events.
    return this.#inFlight.size === 0 ? Promise.resolve() : this.#drain();
  }

  async #drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** One chat message; cheap for anything that is not one of the two commands. */
  onMessage(message: ChatMessage): void {
    if (typeof message?.text !== 'string' || typeof message.author?.id !== 'string' || message.author.id === '') return;
    if (!this.offeredTo(message.creatorId)) return;
    this.#platforms.add(message.platform);
    // Most chat is neither command: ruled out on its first characters, without splitting the text.
    const head = message.text.trimStart().slice(0, this.#longest).toLowerCase();
    if (!head.startsWith(this.#command) && !head.startsWith(this.#unlinkCommand)) return;
    const words = message.text.trim().split(/\s+/);
    const command = words[0]!.toLowerCase();
    let work: Promise<void>;
    if (command === this.#command && words.length >= 3) work = this.#request(message, words[1]!, words.slice(2).join(' '));
    else if (command === this.#command && words.length === 2 && looksLikeCode(words[1]!)) work = this.#redeem(message, words[1]!);
    // `!link` alone, or with one word that is no code (`!link youtube`): how it works.
    else if (command === this.#command) work = this.#usage(message);
    else if (command === this.#unlinkCommand && words.length === 1) work = this.#unlink(message);
    else return;
    const tracked = work.catch((error: unknown) => this.#deps.logger.error({ err: error, creator: message.creatorId }, 'identity: the link command failed'));
    this.#inFlight.add(tracked);
    void tracked.finally(() => this.#inFlight.delete(tracked));
  }

  async #usage(message: ChatMessage): Promise<void> {
    const { command } = this.#deps.config;
    await this.#reply(message, `to link your accounts, type "${command} <platform> <your name there>" (e.g. "${command} youtube @anna"), then type the code you get from that account.`);
  }

  async #request(message: ChatMessage, platformWord: string, nameWords: string): Promise<void> {
    const account = accountOf(message);
    const { config, codes } = this.#deps;
    const platform = platformWord.toLowerCase();
    const name = cleanName(nameWords);
    if (!PLATFORM_WORD.test(platform) || name === '' || name.length > MAX_NAME_LENGTH) return this.#usage(message);
    if (!this.#platforms.has(platform)) {
      this.#refused(message, new SS_ERR_IDENTITY_LINK_PLATFORM_UNKNOWN(platform));
      return this.#reply(message, `"${platform}" is not a platform here; name one of: ${[...this.#platforms].join(', ')}.`);
    }
    const target: CodeTarget = { platform, name };
    if (platform === account.platform && sameName(name, message.author)) {
      this.#refused(message, new SS_ERR_IDENTITY_CODE_SAME_ACCOUNT(account.platform));
      return this.#reply(message, 'name your other account (the one to link with this one), not this one.');
    }
    if (!codes.allowRequest(account)) {
      this.#refused(message, new SS_ERR_IDENTITY_CODE_RATE_LIMITED(account.platform, config.maxCodesPerAccount, config.rateWindowSec), 'warn');
      return this.#reply(message, 'you asked for too many link codes; try again later.');
    }
    let issued;
    try {
      issued = await codes.issue(account, nameOf(message), target, message.creatorId);
    } catch (error) {
      return this.#storeFailed(message, 'storing a link code', error);
    }
    const minutes = Math.round(config.codeTtlSec / 60);
    const within = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${config.codeTtlSec} seconds`;
    await this.#reply(message, `your link code is ${issued.code}: type "${config.command} ${issued.code}" from ${name} on ${platform} within ${within}.`);
  }

  async #redeem(message: ChatMessage, code: string): Promise<void> {
    const redeemer = accountOf(message);
    const { codes, map, config } = this.#deps;
    const checked = codes.check(code, { ...redeemer, login: message.author.login, displayName: message.author.displayName });
    const askAgain = `Type "${config.command} <platform> <name>" on your other account for a new one.`;
    switch (checked.kind) {
      case 'unknown':
        this.#refused(message, new SS_ERR_IDENTITY_CODE_UNKNOWN(redeemer.platform));
        return this.#reply(message, `that link code is not valid. ${askAgain}`);
      case 'used':
        this.#refused(message, new SS_ERR_IDENTITY_CODE_USED(redeemer.platform));
        return this.#reply(message, `that link code was already used. ${askAgain}`);
      case 'withdrawn':
        this.#refused(message, new SS_ERR_IDENTITY_CODE_WITHDRAWN(redeemer.platform, MAX_WRONG_ACCOUNT_TRIES));
        return this.#reply(message, `that link code was withdrawn: too many other accounts tried it. ${askAgain}`);
      case 'expired':
        this.#refused(message, new SS_ERR_IDENTITY_CODE_EXPIRED(redeemer.platform, Math.round(checked.agoMs / 1000)));
        return this.#reply(message, `that link code expired. ${askAgain}`);
      case 'same-account':
        this.#refused(message, new SS_ERR_IDENTITY_CODE_SAME_ACCOUNT(redeemer.platform));
        return this.#reply(message, `type this code from ${checked.pending.target.name} on ${checked.pending.target.platform}, not from this account.`);
      case 'wrong-account':
        return this.#wrongAccount(message, code, checked.pending.target);
      case 'ok':
        break;
    }
    const asker: AccountRef = { platform: checked.pending.platform, userId: checked.pending.userId };
    const plan = linkPlan(map, asker, redeemer);
    if (plan.kind === 'conflict') {
      this.#refused(message, new SS_ERR_IDENTITY_LINK_CONFLICT('both accounts are linked by the operator, to different persons'));
      return this.#reply(message, "these accounts are linked by the channel's operator; ask them to change it.");
    }
    // Used from here on, even if the store fails below: a code links once.
    const consumed = codes.consume(code);
    try {
      await consumed;
      for (const account of plan.move) await map.link(plan.personId, account, 'chat');
    } catch (error) {
      return this.#storeFailed(message, 'linking two accounts', error);
    }
    if (plan.move.length === 0) return this.#reply(message, 'these accounts are already linked.');
    const platforms = [asker.platform, redeemer.platform];
    this.#deps.bus.emit('identity.linked', { creatorId: message.creatorId, personId: plan.personId, platforms, source: 'chat', at: this.#deps.clock.now() });
    this.#deps.logger.info({ creator: message.creatorId, platforms }, 'identity: two accounts linked from chat');
    // Both accounts named: should someone else's account have linked, both of them can see it and "!unlink".
    await this.#reply(message, `linked: ${nameOf(message)} on ${redeemer.platform} and ${checked.pending.askerName} on ${asker.platform} now count as one viewer. "${config.unlinkCommand}" undoes it.`);
  }

  /** A code typed by an account it is not for: refused, and the code stays valid for its account, up to the last try allowed. */
  async #wrongAccount(message: ChatMessage, code: string, target: CodeTarget): Promise<void> {
    let counted;
    try {
      counted = await this.#deps.codes.wrongAccount(code);
    } catch (error) {
      return this.#storeFailed(message, 'counting a wrong link code try', error);
    }
    this.#refused(message, new SS_ERR_IDENTITY_CODE_WRONG_ACCOUNT(message.platform, counted.tries, MAX_WRONG_ACCOUNT_TRIES));
    if (!counted.withdrawn) return this.#reply(message, `that code is for ${target.name} on ${target.platform}.`);
    this.#refused(message, new SS_ERR_IDENTITY_CODE_WITHDRAWN(message.platform, MAX_WRONG_ACCOUNT_TRIES), 'warn');
    await this.#reply(message, `that code is for ${target.name} on ${target.platform}. Too many other accounts tried it: it is withdrawn.`);
  }

  async #unlink(message: ChatMessage): Promise<void> {
    const account = accountOf(message);
    const link = this.#deps.map.linkOf(account);
    if (link === undefined) return this.#reply(message, 'this account is not linked.');
    if (link.source === 'operator') {
      this.#refused(message, new SS_ERR_IDENTITY_LINK_CONFLICT("the operator linked this account; it can't be unlinked from chat"));
      return this.#reply(message, "the channel's operator linked this account; ask them to change it.");
    }
    try {
      await this.#deps.map.unlink(account);
    } catch (error) {
      return this.#storeFailed(message, 'unlinking an account', error);
    }
    this.#deps.bus.emit('identity.unlinked', { creatorId: message.creatorId, personId: link.personId, platform: account.platform, source: 'chat', at: this.#deps.clock.now() });
    await this.#reply(message, 'this account is no longer linked.');
  }

  /** A refusal's log line: the code and where, never the code typed or the user id. */
  #refused(message: ChatMessage, error: StreamSuitesError, level: 'info' | 'warn' = 'info'): void {
    this.#deps.logger[level]({ code: error.code, creator: message.creatorId, platform: message.platform, hint: error.hint }, error.message);
  }

  async #storeFailed(message: ChatMessage, what: string, cause: unknown): Promise<void> {
    const error = new SS_ERR_IDENTITY_STORE_FAILED(what, { cause });
    this.#deps.logger.error({ code: error.code, err: error, creator: message.creatorId, platform: message.platform }, error.message);
    await this.#reply(message, 'linking failed on our side; please try again later.');
  }

  /** Answers in the chat the command came from, through the action dispatcher (dry-run, rate limits and platform handlers apply). */
  async #reply(message: ChatMessage, text: string): Promise<void> {
    const name = message.author.displayName || message.author.login;
    await this.#deps.dispatcher.dispatch({ type: 'chat.reply', params: { text: name ? `@${name} ${text}` : text } }, { creatorId: message.creatorId, message });
  }
}

type LinkPlan = { kind: 'conflict' } | { kind: 'link'; personId: string; move: AccountRef[] };

/**
 * Which person the two accounts become, and which accounts move there: an
 * operator's person first (an operator link never moves), then the asker's
 * person, then the redeemer's, else a new one. Only the two accounts move;
 * other accounts of a person they leave stay where they are.
 */
function linkPlan(map: StoredIdentityMap, asker: AccountRef, redeemer: AccountRef): LinkPlan {
  const a = map.linkOf(asker);
  const b = map.linkOf(redeemer);
  if (a !== undefined && b !== undefined && a.personId === b.personId) return { kind: 'link', personId: a.personId, move: [] };
  if (a?.source === 'operator' && b?.source === 'operator') return { kind: 'conflict' };
  const personId = (a?.source === 'operator' ? a : b?.source === 'operator' ? b : (a ?? b))?.personId ?? newPersonId();
  const move = [asker, redeemer].filter((account, i) => (i === 0 ? a : b)?.personId !== personId);
  return { kind: 'link', personId, move };
}

/** How chat shows the author. */
function nameOf(message: ChatMessage): string {
  return message.author.displayName || message.author.login || message.author.id;
}

function accountOf(message: ChatMessage): AccountRef {
  return { platform: message.platform, userId: message.author.id };
}
