import type { StateStore } from '@streamsuites/kernel';
import type { CounterEntry } from './counters.js';
import { SS_ERR_ENGAGEMENT_STORE_FAILED } from './errors.js';
import type { PollRecord } from './polls.js';
import { SerialQueue } from './queue.js';

/** Separates a tally/scoreboard id from a label key in state keys. */
const SEP = '\u0000';

interface BallotRow {
  poll: string;
  /** Hashed `platform:authorId`. */
  voter: string;
  option: number;
}

/** Everything persisted for one creator. */
export interface PersistedCreator {
  polls: PollRecord[];
  /** Ballots of the open poll (voter key → option index, last ballot wins). */
  ballots: Map<string, number>;
  /** tally id → label key → entry. */
  tallies: Map<string, Map<string, CounterEntry>>;
  /** scoreboard id → label key → entry. */
  scores: Map<string, Map<string, CounterEntry>>;
}

/**
 * One creator's engagement state in the kernel StateStore:
 *
 * - `engagement.<creator>.polls`: poll id → PollRecord (counts, no voters);
 * - table `engagement.<creator>.ballots`: one row per ballot of the open
 *   poll (hashed voter key, option), emptied when the poll closes;
 * - `engagement.<creator>.tallies` / `.scores`: `<id>\0<label key>` →
 *   `{ label, value }`, one key per label so a change writes one small value.
 *
 * Writes go through one queue per creator, in the order the changes
 * happened; each writes the value as it was when the change was made, so
 * concurrent actions never lose an update. Failures reject with
 * SS_ERR_ENGAGEMENT_STORE_FAILED and do not stop later writes.
 */
export class CreatorPersistence {
  readonly #store: StateStore;
  readonly #creatorId: string;
  readonly #queue = new SerialQueue();
  readonly #ns: { polls: string; ballots: string; tallies: string; scores: string };
  /** The ballot batch still waiting in the queue behind every other write, if any. */
  #ballots: { rows: BallotRow[]; written: Promise<void> } | undefined;

  constructor(store: StateStore, creatorId: string) {
    this.#store = store;
    this.#creatorId = creatorId;
    const base = `engagement.${creatorId}`;
    this.#ns = { polls: `${base}.polls`, ballots: `${base}.ballots`, tallies: `${base}.tallies`, scores: `${base}.scores` };
  }

  async load(): Promise<PersistedCreator> {
    try {
      const polls = (await this.#store.entries<PollRecord>(this.#ns.polls)).map(([, record]) => record).filter(isPollRecord);
      const open = polls.filter((p) => p.status === 'open').sort((a, b) => b.seq - a.seq)[0];
      const ballots = new Map<string, number>();
      if (open !== undefined) {
        for (const row of await this.#store.read<BallotRow>(this.#ns.ballots)) {
          if (row.record.poll === open.id) ballots.set(row.record.voter, row.record.option);
        }
      }
      return {
        polls,
        ballots,
        tallies: groupEntries(await this.#store.entries<CounterEntry>(this.#ns.tallies)),
        scores: groupEntries(await this.#store.entries<CounterEntry>(this.#ns.scores)),
      };
    } catch (error) {
      throw new SS_ERR_ENGAGEMENT_STORE_FAILED(this.#creatorId, 'load polls, tallies and scores', { cause: error });
    }
  }

  savePoll(poll: PollRecord): Promise<void> {
    const copy = structuredClone(poll);
    return this.#write('save a poll', () => this.#store.set(this.#ns.polls, copy.id, copy));
  }

  deletePolls(ids: readonly string[]): Promise<void> {
    return this.#write('drop old polls', async () => {
      for (const id of ids) await this.#store.delete(this.#ns.polls, id);
    });
  }

  /**
   * Appends a ballot row. Ballots that arrive while the previous one waits in
   * the queue (a burst of votes) join its batch: one queued write and one
   * promise for all of them, the rows still appended one by one, in order.
   * Any other write ends the batch, so the order of changes is kept. The
   * promise rejects once per batch, after trying every row, if any failed.
   */
  saveBallot(poll: string, voter: string, option: number): Promise<void> {
    const row: BallotRow = { poll, voter, option };
    if (this.#ballots !== undefined) {
      this.#ballots.rows.push(row);
      return this.#ballots.written;
    }
    const rows = [row];
    const written = this.#write('save votes', async () => {
      if (this.#ballots?.rows === rows) this.#ballots = undefined; // later ballots start the next batch
      let failed = 0;
      let firstError: unknown;
      for (const ballot of rows) {
        try {
          await this.#store.append(this.#ns.ballots, ballot);
        } catch (error) {
          if (failed++ === 0) firstError = error;
        }
      }
      if (failed > 0) throw failed === 1 ? firstError : new Error(`${failed} of ${rows.length} ballot rows were not appended; the first failure: ${describe(firstError)}`, { cause: firstError });
    });
    this.#ballots = { rows, written };
    return written;
  }

  /** Drops every ballot row (the poll they belong to is closed and its counts are saved). */
  clearBallots(): Promise<void> {
    return this.#write('clear the ballots of a closed poll', async () => {
      const last = await this.#store.lastSeq(this.#ns.ballots);
      if (last > 0) await this.#store.trim(this.#ns.ballots, { beforeSeq: last + 1 });
    });
  }

  saveTally(tallyId: string, key: string, entry: CounterEntry): Promise<void> {
    const value = { ...entry };
    return this.#write('save a tally', () => this.#store.set(this.#ns.tallies, `${tallyId}${SEP}${key}`, value));
  }

  saveScore(scoreboardId: string, key: string, entry: CounterEntry): Promise<void> {
    const value = { ...entry };
    return this.#write('save a score', () => this.#store.set(this.#ns.scores, `${scoreboardId}${SEP}${key}`, value));
  }

  /** Resolves once every write queued so far has finished. */
  settled(): Promise<void> {
    return this.#queue.settled();
  }

  #write(operation: string, task: () => Promise<void>): Promise<void> {
    this.#ballots = undefined; // a ballot after this write must not be appended before it
    return this.#queue.run(async () => {
      try {
        await task();
      } catch (error) {
        throw new SS_ERR_ENGAGEMENT_STORE_FAILED(this.#creatorId, operation, { cause: error });
      }
    });
  }
}

function groupEntries(rows: [string, CounterEntry][]): Map<string, Map<string, CounterEntry>> {
  const out = new Map<string, Map<string, CounterEntry>>();
  for (const [key, entry] of rows) {
    const at = key.indexOf(SEP);
    if (at <= 0 || typeof entry?.label !== 'string' || typeof entry.value !== 'number') continue;
    const id = key.slice(0, at);
    const group = out.get(id) ?? new Map<string, CounterEntry>();
    group.set(key.slice(at + 1), entry);
    out.set(id, group);
  }
  return out;
}

function isPollRecord(value: unknown): value is PollRecord {
  const record = value as PollRecord;
  return (
    typeof record === 'object' &&
    record !== null &&
    Number.isSafeInteger(record.seq) &&
    typeof record.id === 'string' &&
    typeof record.question === 'string' &&
    Array.isArray(record.options) &&
    Array.isArray(record.counts) &&
    (record.status === 'open' || record.status === 'closed')
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
