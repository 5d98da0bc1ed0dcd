import type { PollOptionResult } from './events.js';

/**
 * Why a poll closed: `action` (a poll.close), `duration` (its durationSec ran
 * out), `replaced` (a poll.open while it was open, with
 * `polls.onOpenWhileOpen: "replace"`), `restart` (it had no duration and was
 * left open by an earlier run; closed when the creator started again).
 */
export type PollCloseReason = 'action' | 'duration' | 'replaced' | 'restart';

/** A poll as it is persisted and exported (votes as counts, never voters). */
export interface PollRecord {
  /** Per-creator sequence number, 1, 2, 3... never reused. */
  seq: number;
  /** `poll-<seq>`. */
  id: string;
  question: string;
  options: string[];
  status: 'open' | 'closed';
  openedAt: number;
  closesAt?: number;
  closedAt?: number;
  closeReason?: PollCloseReason;
  /** Votes per option, same order as `options`. */
  counts: number[];
}

/** What a ballot did to the poll. */
export interface BallotOutcome {
  option: number;
  previous?: number;
}

/**
 * One creator's polls: at most one open poll with its ballots (one per voter
 * key), and the closed ones, newest first. Pure state, no I/O and no clock:
 * callers pass the time.
 */
export class PollBook {
  readonly #closed: PollRecord[] = [];
  #open: PollRecord | undefined;
  #ballots = new Map<string, number>();
  #nextSeq = 1;

  /** Rebuilds the book from persisted records and the open poll's ballots (voter key → option index). */
  static restore(records: readonly PollRecord[], ballots: ReadonlyMap<string, number>): PollBook {
    const book = new PollBook();
    const sorted = [...records].sort((a, b) => b.seq - a.seq);
    for (const record of sorted) {
      book.#nextSeq = Math.max(book.#nextSeq, record.seq + 1);
      if (record.status === 'open' && book.#open === undefined) {
        book.#open = { ...record, counts: record.options.map(() => 0) };
      } else {
        book.#closed.push(record.status === 'open' ? { ...record, status: 'closed', closedAt: record.openedAt, closeReason: 'action' } : record);
      }
    }
    const open = book.#open;
    if (open !== undefined) {
      for (const [voter, option] of ballots) {
        if (!Number.isInteger(option) || option < 0 || option >= open.options.length) continue;
        book.#ballots.set(voter, option);
        open.counts[option]! += 1;
      }
    }
    return book;
  }

  get open(): Readonly<PollRecord> | undefined {
    return this.#open;
  }

  /** Every poll, the open one first, then closed ones newest first. */
  all(): readonly PollRecord[] {
    return this.#open === undefined ? [...this.#closed] : [this.#open, ...this.#closed];
  }

  /** Opens a poll; the caller has checked that none is open and that the options are valid. */
  openPoll(question: string, options: readonly string[], openedAt: number, closesAt: number | undefined): PollRecord {
    const seq = this.#nextSeq++;
    const record: PollRecord = {
      seq,
      id: `poll-${seq}`,
      question,
      options: [...options],
      status: 'open',
      openedAt,
      ...(closesAt === undefined ? {} : { closesAt }),
      counts: options.map(() => 0),
    };
    this.#open = record;
    this.#ballots = new Map();
    return record;
  }

  /**
   * Records a ballot for the open poll. Undefined when nothing changed: no
   * open poll, the voter already chose this option, or changing is not allowed.
   */
  vote(voter: string, option: number, allowChange: boolean): BallotOutcome | undefined {
    const open = this.#open;
    if (open === undefined || option < 0 || option >= open.options.length) return undefined;
    const previous = this.#ballots.get(voter);
    if (previous === option || (previous !== undefined && !allowChange)) return undefined;
    if (previous !== undefined) open.counts[previous]! -= 1;
    open.counts[option]! += 1;
    this.#ballots.set(voter, option);
    return previous === undefined ? { option } : { option, previous };
  }

  /** True when the open poll has a closing time and `now` reached it. */
  due(now: number): boolean {
    return this.#open?.closesAt !== undefined && now >= this.#open.closesAt;
  }

  /** Closes the open poll (the caller checked there is one); returns it and the closed polls dropped beyond `history`. */
  close(closedAt: number, reason: PollCloseReason, history: number): { poll: PollRecord; dropped: PollRecord[] } {
    const open = this.#open!;
    const poll: PollRecord = { ...open, status: 'closed', closedAt, closeReason: reason, counts: [...open.counts] };
    this.#open = undefined;
    this.#ballots = new Map();
    this.#closed.unshift(poll);
    const dropped = this.#closed.splice(history);
    return { poll, dropped };
  }
}

/** Options with their votes, in option order. */
export function pollResults(poll: Readonly<PollRecord>): PollOptionResult[] {
  return poll.options.map((label, index) => ({ label, votes: poll.counts[index] ?? 0 }));
}

/** Labels with the most votes; none when nobody voted. */
export function pollWinners(poll: Readonly<PollRecord>): string[] {
  const best = Math.max(0, ...poll.counts);
  return best === 0 ? [] : poll.options.filter((_, index) => poll.counts[index] === best);
}
