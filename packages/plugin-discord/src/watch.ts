import type { EventBus, PlatformConnectionState, StreamStatus } from '@streamsuites/kernel';

const RECENT_CLIPS = 20;

export interface PlatformView {
  creatorId: string;
  platform: string;
  state?: PlatformConnectionState;
  reason?: string;
  live?: StreamStatus;
  /** False when whether it is live is not known (the standalone control plane reads no stream events). */
  liveKnown?: boolean;
  /** Chat messages in the last minute. */
  perMinute: number;
}

export interface ClipView {
  clipId: string;
  creatorId: string;
  state: string;
  url?: string;
  at: number;
}

export interface PollView {
  pollId: string;
  question: string;
  open: boolean;
  results: { label: string; votes: number }[];
  at: number;
}

/** What the commands read of the runtime: the bus (RuntimeWatch) or the published state files (PublishedState). */
export interface RuntimeView {
  platforms(): PlatformView[];
  /** Undefined when not known (not published for a standalone control plane). */
  triggersFired(creatorId: string): number | undefined;
  lastError(creatorId: string): { code: string; message: string; at: number } | undefined;
  clips(creatorId?: string): ClipView[];
  poll(creatorId: string): PollView | undefined;
  tallies(creatorId: string): Map<string, Map<string, number>>;
  scores(creatorId: string): Map<string, Map<string, number>>;
}

/** Events of other plugins, read by name (the control plane does not import their code, only follows the bus). */
type AnyListener = (name: string, listener: (event: any) => void) => () => void;

/**
 * What the control plane knows of the runtime, from the bus alone: platform
 * connection states, live streams, chat per minute, triggers fired, the last
 * error per creator, recent clips, polls, tallies and scores. Commands read
 * it; nothing here reaches into another plugin.
 */
export class RuntimeWatch implements RuntimeView {
  readonly #platforms = new Map<string, PlatformView & { minute: MinuteCounter }>();
  readonly #triggers = new Map<string, number>();
  readonly #errors = new Map<string, { code: string; message: string; at: number }>();
  readonly #clips: ClipView[] = [];
  readonly #polls = new Map<string, PollView>();
  readonly #tallies = new Map<string, Map<string, Map<string, number>>>();
  readonly #scores = new Map<string, Map<string, Map<string, number>>>();
  readonly #off: (() => void)[] = [];

  constructor(
    bus: EventBus,
    private readonly now: () => number,
  ) {
    const on = bus.on.bind(bus) as unknown as AnyListener;
    this.#off.push(
      on('platform.connection', (e) => Object.assign(this.#platform(e.creatorId, e.platform), { state: e.state, reason: e.reason })),
      on('stream.online', (e: StreamStatus) => void (this.#platform(e.creatorId, e.platform).live = e)),
      on('stream.offline', (e: StreamStatus) => void delete this.#platform(e.creatorId, e.platform).live),
      on('chat.message', (e) => this.#message(e.creatorId, e.platform)),
      on('trigger.fired', (e) => void this.#triggers.set(e.creatorId, (this.#triggers.get(e.creatorId) ?? 0) + 1)),
      on('action.failed', (e) => this.#error(e.creatorId, e.error?.cause?.code ?? e.error?.code, e.error?.cause?.message ?? e.error?.message, e.at)),
      on('platform.auth-failed', (e) => this.#error(e.creatorId, e.error?.code, e.error?.message, e.at)),
      on('clip.state', (e) => this.#clip(e)),
      on('poll.opened', (e) => void this.#polls.set(e.creatorId, { pollId: e.pollId, question: e.question, open: true, results: e.options.map((label: string) => ({ label, votes: 0 })), at: e.at })),
      on('poll.vote', (e) => this.#vote(e)),
      on('poll.closed', (e) => void this.#polls.set(e.creatorId, { pollId: e.pollId, question: e.question, open: false, results: e.results, at: e.at })),
      on('tally.changed', (e) => this.#count(this.#tallies, e.creatorId, e.tallyId, e.label, e.count)),
      on('score.changed', (e) => this.#count(this.#scores, e.creatorId, e.scoreboardId, e.label, e.score)),
    );
  }

  dispose(): void {
    for (const off of this.#off.splice(0)) off();
  }

  platforms(): PlatformView[] {
    const now = this.now();
    return [...this.#platforms.values()]
      .map(({ minute, ...view }) => ({ ...view, perMinute: minute.count(now) }))
      .sort((a, b) => a.creatorId.localeCompare(b.creatorId) || a.platform.localeCompare(b.platform));
  }

  triggersFired(creatorId: string): number {
    return this.#triggers.get(creatorId) ?? 0;
  }

  lastError(creatorId: string): { code: string; message: string; at: number } | undefined {
    return this.#errors.get(creatorId);
  }

  clips(creatorId?: string): ClipView[] {
    return this.#clips.filter((c) => creatorId === undefined || c.creatorId === creatorId).slice(-10).reverse();
  }

  poll(creatorId: string): PollView | undefined {
    return this.#polls.get(creatorId);
  }

  tallies(creatorId: string): Map<string, Map<string, number>> {
    return this.#tallies.get(creatorId) ?? new Map();
  }

  scores(creatorId: string): Map<string, Map<string, number>> {
    return this.#scores.get(creatorId) ?? new Map();
  }

  #platform(creatorId: string, platform: string): PlatformView & { minute: MinuteCounter } {
    const key = `${creatorId}\u0000${platform}`;
    let view = this.#platforms.get(key);
    if (view === undefined) this.#platforms.set(key, (view = { creatorId, platform, perMinute: 0, minute: new MinuteCounter() }));
    return view;
  }

  #message(creatorId: string, platform: string): void {
    this.#platform(creatorId, platform).minute.add(this.now());
  }

  #error(creatorId: unknown, code: unknown, message: unknown, at: unknown): void {
    if (typeof creatorId !== 'string') return;
    this.#errors.set(creatorId, { code: typeof code === 'string' ? code : 'SS_ERR_UNKNOWN', message: typeof message === 'string' ? message : '', at: typeof at === 'number' ? at : this.now() });
  }

  #clip(e: { clipId: string; creatorId: string; state: string; url?: string; at: number }): void {
    const index = this.#clips.findIndex((c) => c.clipId === e.clipId);
    const view: ClipView = { clipId: e.clipId, creatorId: e.creatorId, state: e.state, at: e.at, ...(e.url === undefined ? {} : { url: e.url }) };
    if (index >= 0) this.#clips.splice(index, 1);
    this.#clips.push(view);
    if (this.#clips.length > RECENT_CLIPS * 5) this.#clips.splice(0, this.#clips.length - RECENT_CLIPS * 5);
  }

  #vote(e: { creatorId: string; pollId: string; option: string; previousOption?: string }): void {
    const poll = this.#polls.get(e.creatorId);
    if (poll === undefined || poll.pollId !== e.pollId) return;
    for (const result of poll.results) {
      if (result.label === e.option) result.votes += 1;
      if (e.previousOption !== undefined && result.label === e.previousOption) result.votes -= 1;
    }
  }

  #count(store: Map<string, Map<string, Map<string, number>>>, creatorId: string, id: string, label: string, value: number): void {
    let boards = store.get(creatorId);
    if (boards === undefined) store.set(creatorId, (boards = new Map()));
    let labels = boards.get(id);
    if (labels === undefined) boards.set(id, (labels = new Map()));
    labels.set(label, value);
  }
}

/**
 * Messages in the last minute in 60 one-second buckets: O(1) per chat
 * message and no memory growing with the chat rate (a list of timestamps
 * grew to 60,000 entries at 1,000 msg/s and was shifted on every message).
 */
class MinuteCounter {
  readonly #counts = new Int32Array(60);
  readonly #seconds = new Float64Array(60).fill(-1);

  add(now: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % 60;
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second;
      this.#counts[slot] = 0;
    }
    this.#counts[slot]! += 1;
  }

  /** Messages in the 60 seconds up to `now` (this second included). */
  count(now: number): number {
    const second = Math.floor(now / 1000);
    let total = 0;
    for (let slot = 0; slot < 60; slot++) if (second - this.#seconds[slot]! < 60) total += this.#counts[slot]!;
    return total;
  }
}
