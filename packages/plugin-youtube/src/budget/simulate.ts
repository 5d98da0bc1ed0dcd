import type { BudgetState, PollObservation } from '../types.js';
import { streamReopenBackoffMs } from '../retry-policy.js';
import { exponential, mulberry32, type Random, uniform } from './prng.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** What the simulator drives: the governor, or a baseline such as {@link fixedIntervalStrategy}. */
export interface PollingStrategy {
  observe?(observation: PollObservation): void;
  nextDelayMs(state: BudgetState): number;
}

/** Polling every `intervalMs` whatever the budget or the server says (the naive poller of issue 8). */
export function fixedIntervalStrategy(intervalMs: number, options: { honorServerMin?: boolean } = {}): PollingStrategy {
  return { nextDelayMs: (state) => (options.honorServerMin ? Math.max(intervalMs, state.serverMinIntervalMs) : intervalMs) };
}

/** One stretch of constant chat rate. */
export interface ChatSegment {
  start: number;
  end: number;
  /** Messages per second. */
  rate: number;
  kind: 'normal' | 'quiet' | 'burst';
}

/** Shape of the simulated chat. Rates are messages per second, durations ms. */
export interface ChatModel {
  /** Rate range of ordinary chat. Default 0.5..1. */
  normalRate: [number, number];
  /** Length range of an ordinary stretch. Default 5..25 min. */
  normalMs: [number, number];
  /** Rate range of quiet stretches (AFK, a long game scene). Default 0.02..0.15. */
  quietRate: [number, number];
  /** Length range of a quiet stretch. Default 3..15 min. */
  quietMs: [number, number];
  /** Chance that the next baseline stretch is quiet. Default 0.25. */
  quietChance: number;
  /** Extra rate range of a burst (raid, hype moment), added to the baseline. Default 5..20. */
  burstRate: [number, number];
  /** Length range of a burst. Default 30..180 s. */
  burstMs: [number, number];
  /** Mean time between burst starts (Poisson). Default 12 min. */
  burstEveryMs: number;
}

const defaultChatModel: ChatModel = {
  normalRate: [0.5, 1],
  normalMs: [5 * MINUTE_MS, 25 * MINUTE_MS],
  quietRate: [0.02, 0.15],
  quietMs: [3 * MINUTE_MS, 15 * MINUTE_MS],
  quietChance: 0.25,
  burstRate: [5, 20],
  burstMs: [30_000, 180_000],
  burstEveryMs: 12 * MINUTE_MS,
};
/** The chat of the default simulation: about 0.7 msg/s with quiet stretches, and a 5–20 msg/s burst of 30–180 s every 12 minutes on average. */
export const DEFAULT_CHAT_MODEL: Readonly<ChatModel> = Object.freeze(defaultChatModel);

/** Options of {@link simulateStream}. Times are ms from the stream start; units are quota units. */
export interface SimulationOptions {
  /** PRNG seed: the chat, the server's intervals and everything else follow from it. Default 1. */
  seed?: number;
  /** How long the stream really runs, in hours. Default 8. */
  streamHours?: number;
  /** Quota units a day grants. Default 10,000. */
  dailyUnits?: number;
  /** Units already used today when the stream starts (discovery, earlier streams). Default 0. */
  usedBeforeStart?: number;
  /** Hours from the stream start to the quota reset. Default 14 (a 10:00 PT stream; resets at midnight PT). */
  resetAfterHours?: number;
  /** Cost of a poll. Default 5. */
  pollCost?: number;
  /** Cost of a reply (`liveChatMessages.insert`). Default 50. */
  sendCost?: number;
  /** Replies the bot sends per hour, evenly spread. Default 1. */
  sendsPerHour?: number;
  /** Discovery checks (1 unit each) per hour during the stream. Default 4. */
  discoveryChecksPerHour?: number;
  /** Items one poll returns at most (`maxResults`); the rest wait for the next poll. Default 2,000. */
  maxResults?: number;
  /** A gap between polls longer than this counts as the budget having run out. Default 5 minutes. */
  dryGapMs?: number;
  /** The chat's shape. Fields left out come from {@link DEFAULT_CHAT_MODEL}. */
  chat?: Partial<ChatModel>;
  /** Kernel clock time of the stream start (ms). Default 1,800,000,000,000, so nothing depends on time 0. */
  startAt?: number;
  /**
   * What a spend the day's units cannot pay for gets. `'refuse'` (default):
   * refused as Google would (a refused poll waits for the reset). `'count'`:
   * paid anyway, the units left go negative, and it is counted in
   * `overLimitSpends` / `overLimitUnits`, so a test proves the strategy kept
   * within the day instead of the simulator's refusal doing it.
   */
  overLimit?: 'refuse' | 'count';
  /**
   * How chat is read. `'poll'` (default): `liveChatMessages.list`, one page
   * per poll, the strategy's delay between polls. `'stream'`:
   * `liveChatMessages.streamList` — each (re)connection costs `pollCost`,
   * returns what was said since the last one at once, then stays open for
   * `streamOpenMs`, pushing each new message `pushDelayMs` after it was said;
   * when the server closes it, the next one opens `max(1 s, delay - time
   * open)` later (the strategy's delay counts from the opening, when the
   * units were spent), as the plugin's chat session does.
   */
  transport?: 'poll' | 'stream';
  /**
   * How long the server keeps a streamList connection open (ms), drawn
   * uniformly from the range per connection. Default 8,000..12,000: the
   * reference says each stream "closes from the server side after about 10
   * seconds (with a 30-second RPC deadline)".
   */
  streamOpenMs?: [number, number];
  /**
   * Server push delay on an open stream (ms): a document is pushed this long
   * (drawn per document) after the oldest message it carries was said, with
   * every message said until then. Default 200..1,000 — an assumption of the
   * model, not a measurement.
   */
  pushDelayMs?: [number, number];
}

/** What one simulated stream measured. */
export interface SimulationResult {
  /** Hours from the start until reading stopped for lack of budget (a refused poll or a gap over `dryGapMs`), capped at the stream length. */
  coveredHours: number;
  /** Units spent during the stream: polls, replies, discovery. */
  unitsUsed: number;
  /** Units spent per quota day (one entry per day the stream touches; includes `usedBeforeStart`). */
  unitsByDay: number[];
  /** Median over all messages of (poll that received it − sent), in seconds. Missed messages count as infinite. */
  medianLatencyS: number;
  /** 90th percentile of the same. */
  p90LatencyS: number;
  /** Mean latency over the messages that were received (s). */
  meanReceivedLatencyS: number;
  /** Polls made (that the quota paid for). */
  polls: number;
  /** Polls refused for lack of quota (always 0 with `overLimit: 'count'`). */
  refusedPolls: number;
  /** Spends (polls, replies, discovery) that went past the day's units; only with `overLimit: 'count'`, else 0. */
  overLimitSpends: number;
  /** Units spent past the day's units, over every day; only with `overLimit: 'count'`, else 0. */
  overLimitUnits: number;
  /** Messages never received. */
  missed: number;
  /** Messages sent during the stream. */
  messages: number;
  /** The fewest units left at any moment. */
  minRemainingUnits: number;
  /** Units left when the stream ended. */
  remainingAtEnd: number;
  /** Longest time without reading during the stream (s): between polls, or from a stream connection's close to the next opening. */
  maxGapS: number;
  /** With `transport: 'stream'`: the streamList connections and the messages said while one was open. */
  stream?: StreamResult;
}

/** What the streaming transport measured (`transport: 'stream'`). */
export interface StreamResult {
  /** Connections opened (each paid `pollCost`; also counted in `polls`). */
  connections: number;
  /** Share of the messages said while a connection was open (0..1). */
  openShare: number;
  /** Median latency of the messages said while a connection was open (s): the push delay, unless the server closed first. */
  openMedianLatencyS: number;
  /** 90th percentile of the same. */
  openP90LatencyS: number;
  /** Time a connection was open, as a share of the stream (0..1). */
  openTimeShare: number;
}

/** Generate a bursty chat: baseline stretches (normal or quiet) with bursts on top. */
export function generateChat(random: Random, durationMs: number, model: ChatModel): { segments: ChatSegment[]; messages: Float64Array } {
  const segments: ChatSegment[] = [];
  for (let t = 0; t < durationMs;) {
    const quiet = random() < model.quietChance;
    const length = quiet ? uniform(random, ...model.quietMs) : uniform(random, ...model.normalMs);
    const rate = quiet ? uniform(random, ...model.quietRate) : uniform(random, ...model.normalRate);
    segments.push({ start: t, end: Math.min(durationMs, t + length), rate, kind: quiet ? 'quiet' : 'normal' });
    t += length;
  }
  for (let t = exponential(random, model.burstEveryMs); t < durationMs; t += exponential(random, model.burstEveryMs)) {
    const length = uniform(random, ...model.burstMs);
    segments.push({ start: t, end: Math.min(durationMs, t + length), rate: uniform(random, ...model.burstRate), kind: 'burst' });
  }
  // Poisson arrivals per segment; overlapping segments add up (a sum of Poisson processes is Poisson).
  const times: number[] = [];
  for (const segment of segments) {
    const meanGapMs = 1000 / segment.rate;
    for (let t = segment.start + exponential(random, meanGapMs); t < segment.end; t += exponential(random, meanGapMs)) times.push(t);
  }
  const messages = Float64Array.from(times).sort();
  return { segments, messages };
}

/** The true chat rate at `t` (msg/s). */
function rateAt(segments: readonly ChatSegment[], t: number): number {
  let rate = 0;
  for (const s of segments) if (s.start <= t && t < s.end) rate += s.rate;
  return rate;
}

/** YouTube's `pollingIntervalMillis`: 2–5 s, shorter when chat is busy. */
function serverInterval(random: Random, rate: number): number {
  return Math.round(rate >= 3 ? uniform(random, 2000, 3000) : rate >= 0.3 ? uniform(random, 2500, 4500) : uniform(random, 3500, 5000));
}

/** The `q` quantile (0..1) of sorted values, nearest rank. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Run one stream on a virtual clock: seeded bursty chat, the server's
 * varying `pollingIntervalMillis`, a daily quota with its reset, replies and
 * discovery checks drawing on the same quota, and `strategy` deciding when
 * to poll. Deterministic for a given seed and strategy.
 *
 * The first poll is at the stream start. Polling continues while the
 * previous poll was before the stream end (so the last poll collects the
 * chat's tail, and pages on while it returns full pages). A poll returns at
 * most `maxResults` items, oldest first. A poll the quota cannot pay for is
 * refused and the poller waits for the reset. Polls sooner than the
 * server's `pollingIntervalMillis` are served and charged like any other.
 *
 * With `transport: 'stream'` each "poll" is a streamList connection: paid
 * when it opens, it returns the backlog at once, then pushes new messages
 * until the server closes it (see {@link SimulationOptions.transport}).
 */
export function simulateStream(strategy: PollingStrategy, options: SimulationOptions = {}): SimulationResult {
  const seed = options.seed ?? 1;
  const durationMs = (options.streamHours ?? 8) * HOUR_MS;
  const dailyUnits = options.dailyUnits ?? 10_000;
  const pollCost = options.pollCost ?? 5;
  const sendCost = options.sendCost ?? 50;
  const sendsPerHour = options.sendsPerHour ?? 1;
  const discoveryPerHour = options.discoveryChecksPerHour ?? 4;
  const maxResults = options.maxResults ?? 2000;
  const dryGapMs = options.dryGapMs ?? 5 * MINUTE_MS;
  const startAt = options.startAt ?? 1_800_000_000_000;
  const model: ChatModel = { ...DEFAULT_CHAT_MODEL, ...options.chat };
  const streaming = options.transport === 'stream';
  const [openMinMs, openMaxMs] = options.streamOpenMs ?? [8000, 12_000];
  const [pushMinMs, pushMaxMs] = options.pushDelayMs ?? [200, 1000];

  const chatRandom = mulberry32(seed);
  const serverRandom = mulberry32((seed ^ 0x9e3779b9) >>> 0);
  // A generator of its own, so the polling runs stay what they were.
  const streamRandom = mulberry32((seed ^ 0x85ebca6b) >>> 0);
  const { segments, messages } = generateChat(chatRandom, durationMs, model);

  // Quota, relative to the stream start.
  let resetAt = (options.resetAfterHours ?? 14) * HOUR_MS;
  let remaining = dailyUnits - (options.usedBeforeStart ?? 0);
  const unitsByDay = [options.usedBeforeStart ?? 0];
  let unitsUsed = 0;
  let minRemaining = remaining;
  const countOverLimit = options.overLimit === 'count';
  let overLimitSpends = 0;
  let overLimitUnits = 0;
  const advanceTo = (t: number) => {
    while (t >= resetAt) {
      remaining = dailyUnits;
      unitsByDay.push(0);
      resetAt += 24 * HOUR_MS;
    }
  };
  const spend = (units: number): boolean => {
    if (remaining < units) {
      if (!countOverLimit) return false;
      overLimitSpends++;
      overLimitUnits += units - Math.max(0, remaining);
    }
    remaining -= units;
    unitsUsed += units;
    unitsByDay[unitsByDay.length - 1]! += units;
    minRemaining = Math.min(minRemaining, remaining);
    return true;
  };

  // Replies and discovery checks on a fixed schedule, paid before the poll at or after their time.
  const overhead: { at: number; cost: number }[] = [];
  if (sendsPerHour > 0) for (let t = HOUR_MS / sendsPerHour / 2; t < durationMs; t += HOUR_MS / sendsPerHour) overhead.push({ at: t, cost: sendCost });
  if (discoveryPerHour > 0) for (let t = HOUR_MS / discoveryPerHour; t < durationMs; t += HOUR_MS / discoveryPerHour) overhead.push({ at: t, cost: 1 });
  overhead.sort((a, b) => a.at - b.at);
  let nextOverhead = 0;
  const payOverheadUntil = (t: number) => {
    while (nextOverhead < overhead.length && overhead[nextOverhead]!.at <= t) {
      const item = overhead[nextOverhead++]!;
      advanceTo(item.at);
      spend(item.cost);
    }
  };

  const latencies = new Float64Array(messages.length).fill(Number.POSITIVE_INFINITY);
  /** Stream only: 1 for a message said while a connection was open. */
  const saidWhileOpen = new Uint8Array(streaming ? messages.length : 0);
  let openTimeMs = 0;
  let delivered = 0; // messages[0..delivered) were received
  let polls = 0;
  let refused = 0;
  let serverMin = 0;
  let lastPollAt: number | undefined;
  /** When chat was last read: the last poll, or the close of the last stream connection. */
  let lastReadAt: number | undefined;
  let dryAt: number | undefined;
  let maxGap = 0;
  let t = 0;

  while (t <= durationMs || (lastPollAt !== undefined && lastPollAt < durationMs && t < durationMs + dryGapMs)) {
    payOverheadUntil(t);
    advanceTo(t);
    if (!spend(pollCost)) {
      refused++;
      dryAt ??= lastPollAt ?? 0;
      if (resetAt > durationMs) break;
      t = resetAt;
      continue;
    }
    polls++;
    if (lastReadAt !== undefined) {
      const gap = t - lastReadAt;
      maxGap = Math.max(maxGap, gap);
      if (gap > dryGapMs) dryAt ??= lastReadAt;
    }
    lastPollAt = t;
    lastReadAt = t;
    let items = 0;
    // A stream's backlog comes in as many documents as it takes, at once.
    while (delivered < messages.length && messages[delivered]! <= t && (streaming || items < maxResults)) {
      latencies[delivered] = t - messages[delivered]!;
      delivered++;
      items++;
    }
    strategy.observe?.({ at: startAt + t, items });
    if (streaming) {
      const openedAt = t;
      const closeAt = Math.max(openedAt, Math.min(openedAt + uniform(streamRandom, openMinMs, openMaxMs), durationMs));
      openTimeMs += closeAt - openedAt;
      lastReadAt = closeAt;
      for (let i = delivered; i < messages.length && messages[i]! < closeAt; i++) saidWhileOpen[i] = 1;
      while (delivered < messages.length && messages[delivered]! < closeAt) {
        const sendAt = messages[delivered]! + uniform(streamRandom, pushMinMs, pushMaxMs);
        // Closed first: the next connection's backlog. The chat's end (chatEndedEvent) comes after its last messages.
        if (sendAt > closeAt && closeAt < durationMs) break;
        let pushed = 0;
        while (delivered < messages.length && messages[delivered]! <= sendAt && messages[delivered]! < closeAt) {
          latencies[delivered] = sendAt - messages[delivered]!;
          delivered++;
          pushed++;
        }
        strategy.observe?.({ at: startAt + sendAt, items: pushed });
      }
      if (closeAt >= durationMs && delivered === messages.length) break;
      // The chat session waits the strategy's delay counted from the opening (when the units were spent), at least 1 s.
      const delay = strategy.nextDelayMs({ now: startAt + closeAt, remainingUnits: remaining, resetsAt: startAt + resetAt, streamStartedAt: startAt, serverMinIntervalMs: 0 });
      t = closeAt + Math.max(streamReopenBackoffMs(0), delay - (closeAt - openedAt));
      continue;
    }
    serverMin = serverInterval(serverRandom, rateAt(segments, t));
    if (t >= durationMs && (delivered === messages.length || items < maxResults)) break; // after the end, drain a backlog
    const delay = strategy.nextDelayMs({ now: startAt + t, remainingUnits: remaining, resetsAt: startAt + resetAt, streamStartedAt: startAt, serverMinIntervalMs: serverMin });
    t += Math.max(1, delay);
  }
  payOverheadUntil(durationMs);
  if (lastReadAt === undefined || lastReadAt < durationMs) {
    dryAt ??= lastReadAt ?? 0;
    maxGap = Math.max(maxGap, durationMs - (lastReadAt ?? 0));
  }

  let stream: StreamResult | undefined;
  if (streaming) {
    const open = Float64Array.from(latencies.filter((_, i) => saidWhileOpen[i] === 1)).sort();
    stream = {
      connections: polls,
      openShare: messages.length > 0 ? open.length / messages.length : 0,
      openMedianLatencyS: quantile(open, 0.5) / 1000,
      openP90LatencyS: quantile(open, 0.9) / 1000,
      openTimeShare: durationMs > 0 ? openTimeMs / durationMs : 0,
    };
  }
  latencies.sort();
  const received = latencies.subarray(0, delivered);
  let sum = 0;
  for (const l of received) sum += l;
  return {
    coveredHours: Math.min(durationMs, dryAt ?? durationMs) / HOUR_MS,
    unitsUsed,
    unitsByDay,
    medianLatencyS: quantile(latencies, 0.5) / 1000,
    p90LatencyS: quantile(latencies, 0.9) / 1000,
    meanReceivedLatencyS: delivered > 0 ? sum / delivered / 1000 : 0,
    polls,
    refusedPolls: refused,
    overLimitSpends,
    overLimitUnits,
    missed: messages.length - delivered,
    messages: messages.length,
    minRemainingUnits: minRemaining,
    remainingAtEnd: remaining,
    maxGapS: maxGap / 1000,
    ...(stream === undefined ? {} : { stream }),
  };
}
