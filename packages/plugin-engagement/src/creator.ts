import * as nodeCrypto from 'node:crypto';
import type { ChatMessage, Clock, EventBus, IdentityMap, Logger } from '@streamsuites/kernel';
import type { PollOpenParams, ScoreAddParams, TallyAddParams } from './actions.js';
import type { EngagementCreatorConfig, ScoreboardConfig, TallyConfig } from './config.js';
import { MAX_FREE_TALLY_LABELS, MAX_SCOREBOARD_ENTRIES } from './config.js';
import { Counter, withRanks, type CounterEntry, type CounterRefusal } from './counters.js';
import {
  SS_ERR_ENGAGEMENT_LABEL_INVALID,
  SS_ERR_ENGAGEMENT_LABEL_NOT_ALLOWED,
  SS_ERR_ENGAGEMENT_NO_OPEN_POLL,
  SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN,
  SS_ERR_ENGAGEMENT_POLL_INVALID,
  SS_ERR_ENGAGEMENT_TOO_MANY_LABELS,
  SS_ERR_ENGAGEMENT_UNKNOWN_SCOREBOARD,
  SS_ERR_ENGAGEMENT_UNKNOWN_TALLY,
  SS_ERR_ENGAGEMENT_VALUE_OUT_OF_RANGE,
} from './errors.js';
import { cleanLabel, compareText, firstDuplicate, labelProblem } from './labels.js';
import type { CreatorPersistence, PersistedCreator } from './persistence.js';
import { PollBook, pollResults, pollWinners, type PollCloseReason, type PollRecord } from './polls.js';
import type { Signals } from './signals.js';
import { parseVote } from './vote-parser.js';
import type { PollVoteEvent } from './events.js';
import './events.js';

/** Shortest and longest wait of the poll deadline timer (ms). */
const MIN_TIMER_MS = 100;
const MAX_TIMER_MS = 2_147_483_647;

export interface TallyView {
  id: string;
  name: string;
  /** By label; a tally with a `labels` list shows each of them, 0 included. */
  counts: { label: string; count: number }[];
}

export interface ScoreboardView {
  id: string;
  name: string;
  maxEntries: number;
  /** Every entry, by score (highest first) then label; equal scores share a rank. */
  entries: { rank: number; label: string; score: number }[];
}

export interface CreatorDeps {
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  signals: Signals;
  persistence: CreatorPersistence;
  /** Votes count per person (one vote for a viewer linked across platforms); absent: per account. */
  identity?: Pick<IdentityMap, 'personKey'>;
}

interface Board<C> {
  config: C;
  counter: Counter;
}

/**
 * One creator's polls, tallies and scoreboards. State changes happen
 * synchronously (so two concurrent actions cannot lose an update), then the
 * bus event goes out and the change is queued for the state store; action
 * methods resolve once it is stored. Time always comes from the caller (the
 * kernel clock), never from the wall clock.
 */
export class CreatorEngagement {
  readonly creatorId: string;
  readonly config: EngagementCreatorConfig;
  readonly #deps: CreatorDeps;
  readonly #polls: PollBook;
  readonly #tallies = new Map<string, Board<TallyConfig>>();
  readonly #scoreboards = new Map<string, Board<ScoreboardConfig>>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** The ballot batch whose failure is already reported by #background. */
  #ballotWrite: Promise<void> | undefined;

  constructor(creatorId: string, config: EngagementCreatorConfig, persisted: PersistedCreator, deps: CreatorDeps) {
    this.creatorId = creatorId;
    this.config = config;
    this.#deps = deps;
    this.#polls = PollBook.restore(persisted.polls, persisted.ballots);
    for (const tally of config.tallies) {
      const counter = new Counter({ ...(tally.labels === undefined ? {} : { allowed: tally.labels.map(cleanLabel) }), limit: MAX_FREE_TALLY_LABELS, integer: true });
      for (const [key, entry] of persisted.tallies.get(tally.id) ?? []) counter.restore(key, entry);
      this.#tallies.set(tally.id, { config: tally, counter });
    }
    for (const board of config.scoreboards) {
      const counter = new Counter({ limit: MAX_SCOREBOARD_ENTRIES, integer: false });
      for (const [key, entry] of persisted.scores.get(board.id) ?? []) counter.restore(key, entry);
      this.#scoreboards.set(board.id, { config: board, counter });
    }
  }

  /**
   * Settles the poll an earlier run left open, and arms the deadline timer:
   * one whose time ran out while we were down closes at its scheduled time
   * (reason `duration`); one with time left runs on; one without a duration
   * closes now (reason `restart`) unless `polls.resumeOnRestart` keeps it open.
   */
  resume(now: number): void {
    this.#expire(now);
    const open = this.#polls.open;
    if (open !== undefined && open.closesAt === undefined && this.config.polls.resumeOnRestart !== true) {
      this.#deps.logger.info({ creator: this.creatorId, poll: open.id }, 'engagement: closing the poll an earlier run left open (polls.resumeOnRestart is off)');
      this.#background(this.#close(now, 'restart', now));
    }
    this.#armTimer();
  }

  // ── Chat ────────────────────────────────────────────────────────────────

  /** A chat message of this creator: closes a due poll, then counts the message if it is a vote. */
  onChat(message: ChatMessage, now: number): void {
    this.#expire(now);
    const open = this.#polls.open;
    if (open === undefined || typeof message.text !== 'string') return;
    const polls = this.config.polls;
    const option = parseVote(message.text, polls.voteCommand, open.options);
    if (option === undefined) return;
    const voter = voterKey(message, this.#deps.identity);
    const outcome = this.#polls.vote(voter, option, polls.allowChangeVote);
    if (outcome === undefined) return;
    const label = open.options[option]!;
    const { creatorId } = this;
    const { platform, id: messageId } = message;
    // Two literals rather than a spread: one object per vote, keys in the documented order.
    const event: PollVoteEvent =
      outcome.previous === undefined
        ? { creatorId, pollId: open.id, option: label, optionNumber: option + 1, platform, messageId, at: now }
        : { creatorId, pollId: open.id, option: label, optionNumber: option + 1, previousOption: open.options[outcome.previous]!, platform, messageId, at: now };
    this.#deps.bus.emit('poll.vote', event);
    this.#deps.signals.votes.push({ at: now, creator: this.creatorId, pollId: open.id, option: label });
    // Ballots are written in batches: one promise (and one failure report) per batch, not per vote.
    const write = this.#deps.persistence.saveBallot(open.id, voter, option);
    if (write !== this.#ballotWrite) {
      this.#ballotWrite = write;
      this.#background(write);
    }
  }

  // ── Actions ─────────────────────────────────────────────────────────────

  async openPoll(params: PollOpenParams, now: number): Promise<PollRecord> {
    this.#expire(now);
    const { question, options } = this.#checkPoll(params);
    const current = this.#polls.open;
    let replaced: Promise<unknown> | undefined;
    if (current !== undefined) {
      if (this.config.polls.onOpenWhileOpen === 'refuse') throw new SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN(this.creatorId, current.id, current.question);
      // Replace: the open poll closes first (final results, exported), then the new one opens.
      replaced = this.#close(now, 'replaced', now);
    }
    const closesAt = params.durationSec === undefined ? undefined : now + Math.round(params.durationSec * 1000);
    const poll = this.#polls.openPoll(question, options, now, closesAt);
    this.#deps.bus.emit('poll.opened', {
      creatorId: this.creatorId,
      pollId: poll.id,
      question,
      options: [...options],
      openedAt: now,
      ...(closesAt === undefined ? {} : { closesAt }),
      at: now,
    });
    this.#armTimer();
    await Promise.all([replaced, this.#deps.persistence.savePoll(poll)]);
    return structuredClone(poll);
  }

  async closePoll(now: number): Promise<PollRecord> {
    this.#expire(now);
    if (this.#polls.open === undefined) throw new SS_ERR_ENGAGEMENT_NO_OPEN_POLL(this.creatorId);
    return this.#close(now, 'action', now);
  }

  async addToTally(params: TallyAddParams, now: number): Promise<CounterEntry> {
    this.#expire(now);
    const board = this.#tallies.get(params.tally);
    if (board === undefined) throw new SS_ERR_ENGAGEMENT_UNKNOWN_TALLY(this.creatorId, params.tally, [...this.#tallies.keys()]);
    const where = `tally "${params.tally}"`;
    const label = this.#checkLabel(params.label, where);
    const result = board.counter.add(label, params.delta);
    if ('kind' in result) throw this.#refusal(result, where, label, { tallyId: params.tally, allowed: board.counter.allowed ?? [] });
    this.#deps.bus.emit('tally.changed', { creatorId: this.creatorId, tallyId: params.tally, label: result.entry.label, delta: params.delta, count: result.entry.value, at: now });
    this.#deps.signals.tallies.push({ at: now, creator: this.creatorId, tallyId: params.tally, label: result.entry.label, delta: params.delta });
    await this.#deps.persistence.saveTally(params.tally, result.key, result.entry);
    return { ...result.entry };
  }

  async addToScore(params: ScoreAddParams, now: number): Promise<CounterEntry> {
    this.#expire(now);
    const board = this.#scoreboards.get(params.scoreboard);
    if (board === undefined) throw new SS_ERR_ENGAGEMENT_UNKNOWN_SCOREBOARD(this.creatorId, params.scoreboard, [...this.#scoreboards.keys()]);
    const where = `scoreboard "${params.scoreboard}"`;
    const label = this.#checkLabel(params.label, where);
    const result = board.counter.add(label, params.delta);
    if ('kind' in result) throw this.#refusal(result, where, label);
    this.#deps.bus.emit('score.changed', { creatorId: this.creatorId, scoreboardId: params.scoreboard, label: result.entry.label, delta: params.delta, score: result.entry.value, at: now });
    this.#deps.signals.scores.push({ at: now, creator: this.creatorId, scoreboardId: params.scoreboard, label: result.entry.label, delta: params.delta });
    await this.#deps.persistence.saveScore(params.scoreboard, result.key, result.entry);
    return { ...result.entry };
  }

  /** The deadline check of the timer and of anything else that has the time. */
  tick(now: number): void {
    this.#expire(now);
  }

  // ── Views ───────────────────────────────────────────────────────────────

  /** Open poll first, then closed polls newest first (copies). */
  polls(): PollRecord[] {
    return this.#polls.all().map((poll) => structuredClone(poll));
  }

  /** Configured tallies by id. */
  tallies(): TallyView[] {
    return [...this.#tallies.values()]
      .map(({ config, counter }) => ({ id: config.id, name: config.name, counts: counter.byLabel().map((e) => ({ label: e.label, count: e.value })) }))
      .sort((a, b) => compareText(a.id, b.id));
  }

  /** Configured scoreboards by id, with every entry ranked. */
  scoreboards(): ScoreboardView[] {
    return [...this.#scoreboards.values()]
      .map(({ config, counter }) => ({ id: config.id, name: config.name, maxEntries: config.maxEntries, entries: withRanks(counter.ranked()) }))
      .sort((a, b) => compareText(a.id, b.id));
  }

  /** Resolves once every change so far is in the state store. */
  settled(): Promise<void> {
    return this.#deps.persistence.settled();
  }

  /** Stops the timer; pending writes still finish (await settled()). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // ── Internals ───────────────────────────────────────────────────────────

  /** Closes the open poll when its time came; the closing time is the scheduled one, so replays agree. */
  #expire(now: number): void {
    if (!this.#polls.due(now)) return;
    this.#background(this.#close(this.#polls.open!.closesAt!, 'duration', now));
  }

  #close(closedAt: number, reason: PollCloseReason, now: number): Promise<PollRecord> {
    const { poll, dropped } = this.#polls.close(closedAt, reason, this.config.polls.history);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const results = pollResults(poll);
    this.#deps.bus.emit('poll.closed', {
      creatorId: this.creatorId,
      pollId: poll.id,
      question: poll.question,
      reason,
      results,
      totalVotes: results.reduce((sum, r) => sum + r.votes, 0),
      winners: pollWinners(poll),
      openedAt: poll.openedAt,
      closedAt,
      at: now,
    });
    const { persistence } = this.#deps;
    const writes = [persistence.savePoll(poll), persistence.clearBallots()];
    if (dropped.length > 0) writes.push(persistence.deletePolls(dropped.map((p) => p.id)));
    return Promise.all(writes).then(() => structuredClone(poll));
  }

  /** A real, unref'd timer for live use; it only asks the kernel clock whether the poll is due. */
  #armTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const closesAt = this.#polls.open?.closesAt;
    if (closesAt === undefined || this.#stopped) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(MIN_TIMER_MS, closesAt - this.#deps.clock.now()));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = this.#deps.clock.now();
      if (this.#polls.due(now)) this.#expire(now);
      else this.#armTimer();
    }, wait);
    this.#timer.unref();
  }

  #checkPoll(params: PollOpenParams): { question: string; options: string[] } {
    const fail = (problem: string) => new SS_ERR_ENGAGEMENT_POLL_INVALID(this.creatorId, problem);
    const question = cleanLabel(params.question);
    if (question.length === 0) throw fail('the question is empty');
    const options = params.options.map(cleanLabel).filter((option) => option.length > 0);
    const max = this.config.polls.maxOptions;
    if (options.length < 2) throw fail(`it has ${options.length} non-empty option(s), at least 2 are needed`);
    if (options.length > max) throw fail(`it has ${options.length} options, polls.maxOptions is ${max}`);
    for (const option of options) {
      const problem = labelProblem(option);
      if (problem !== undefined) throw fail(`option "${option.slice(0, 40)}": ${problem}`);
    }
    const duplicate = firstDuplicate(options);
    if (duplicate !== undefined) throw fail(`option "${duplicate}" appears twice (options are compared ignoring case)`);
    return { question, options };
  }

  #checkLabel(raw: string, where: string): string {
    const label = cleanLabel(raw);
    const problem = labelProblem(label);
    if (problem !== undefined) throw new SS_ERR_ENGAGEMENT_LABEL_INVALID(this.creatorId, where, problem);
    return label;
  }

  #refusal(refusal: CounterRefusal, where: string, label: string, tally?: { tallyId: string; allowed: string[] }): Error {
    switch (refusal.kind) {
      case 'not-allowed':
        return new SS_ERR_ENGAGEMENT_LABEL_NOT_ALLOWED(this.creatorId, tally?.tallyId ?? where, label, tally?.allowed ?? []);
      case 'full':
        return new SS_ERR_ENGAGEMENT_TOO_MANY_LABELS(this.creatorId, where, label, refusal.limit);
      case 'out-of-range':
        return new SS_ERR_ENGAGEMENT_VALUE_OUT_OF_RANGE(this.creatorId, where, label);
    }
  }

  #background(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.#deps.logger.error({ err: error, creator: this.creatorId }, 'engagement: saving a change failed'));
  }
}

/** `crypto.hash` (Node 20.12+): the same digest as createHash, without a Hash object per vote. */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

/**
 * One vote per person: the identity map's person key of `platform:author.id`
 * (`person:<id>` for an account linked across platforms, so a linked viewer
 * votes once whichever platform they vote from; `platform:author.id` for any
 * other, login when a platform sends no id), hashed so the state store holds
 * no user ids.
 */
export function voterKey(message: ChatMessage, identity?: Pick<IdentityMap, 'personKey'>): string {
  const author = message.author?.id || message.author?.login || message.id;
  const text = identity === undefined ? `${message.platform}:${author}` : identity.personKey(message.platform, author);
  const digest = oneShotHash === undefined ? nodeCrypto.createHash('sha256').update(text).digest('base64url') : oneShotHash('sha256', text, 'base64url');
  return digest.slice(0, 22);
}
