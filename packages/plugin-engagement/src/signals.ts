/** A poll vote, as the dashboard-only signals file shows it: no voter. */
export interface PollVoteSignal {
  at: number;
  creator: string;
  pollId: string;
  option: string;
}

export interface TallySignal {
  at: number;
  creator: string;
  tallyId: string;
  label: string;
  delta: number;
}

export interface ScoreSignal {
  at: number;
  creator: string;
  scoreboardId: string;
  label: string;
  delta: number;
}

/** The most recent `size` items, oldest first. */
export class SignalWindow<T extends { creator: string }> {
  readonly #items: T[] = [];
  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
  }

  push(item: T): void {
    this.#items.push(item);
    // Trim in batches so a full window does not shift the array on every push.
    if (this.#items.length >= this.#size * 2) this.#items.splice(0, this.#items.length - this.#size);
  }

  /** Oldest first, at most `size`, only for the creators `keep` accepts. */
  list(keep: (creatorId: string) => boolean = () => true): T[] {
    return this.#items.slice(-this.#size).filter((item) => keep(item.creator));
  }
}

/** The three signals windows of the plugin. */
export class Signals {
  readonly votes: SignalWindow<PollVoteSignal>;
  readonly tallies: SignalWindow<TallySignal>;
  readonly scores: SignalWindow<ScoreSignal>;

  constructor(size: number) {
    this.votes = new SignalWindow(size);
    this.tallies = new SignalWindow(size);
    this.scores = new SignalWindow(size);
  }
}
