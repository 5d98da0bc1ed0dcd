import type { JobRecord, JobRegistry, JobRunContext, Logger, PostingDecision, PostingEvent, SecretRegistry, StateStore, StreamStatus } from '@streamsuites/kernel';
import { isDuplicateContent, problemText, type XApi } from './api/client.js';
import { waitMsFor, type RateLimitInfo } from './api/rate-limit.js';
import { notRetryable, type AccountSession } from './auth/session.js';
import type { XConfig, XCreatorConfig } from './config.js';
import { SS_ERR_X_API, SS_ERR_X_DUPLICATE } from './errors.js';

/** The job type of one post. */
export const X_POST_JOB = 'x.post';
/** Post records by dedupe key: what was (to be) posted, and how it went. Kept across restarts. */
export const X_POSTS_NAMESPACE = 'x.posts';
/** When each creator's last post of each event was queued (postingRules' minIntervalSec). */
export const X_POSTED_AT_NAMESPACE = 'x.posted-at';
/** Per creator: the platforms live now (stream and since when), so a creator going live on a second platform is one go-live. */
export const X_LIVE_NAMESPACE = 'x.live';
/** A platform's live entry older than this is stale (the runtime missed its offline, e.g. it was down when the stream ended). */
export const X_LIVE_STALE_MS = 24 * 3_600_000;

type LivePlatforms = Record<string, { stream: string; since: number }>;

declare module '@streamsuites/kernel' {
  interface StreamSuitesJobs {
    'x.post': XPostJobPayload;
  }
}

/** The job's payload: only the record's key (the text is in the record; no secrets in job payloads). */
export interface XPostJobPayload {
  postKey: string;
}

export type XPostState = 'pending' | 'posted' | 'duplicate' | 'failed';

/** One post, from the event that asked for it to X's answer. */
export interface XPostRecord {
  creatorId: string;
  event: PostingEvent;
  account: string;
  text: string;
  replySettings?: XCreatorConfig['replySettings'];
  state: XPostState;
  createdAt: number;
  jobId?: string;
  tweetId?: string;
  postedAt?: number;
  error?: string;
}

export interface XPosterOptions {
  store: StateStore;
  jobs: JobRegistry;
  api: XApi;
  config: XConfig;
  logger: Logger;
  secrets: SecretRegistry;
  now(): number;
  session(account: string): AccountSession;
  /** The creator's X settings while it runs with the plugin enabled; undefined otherwise. */
  settings(creatorId: string): XCreatorConfig | undefined;
  /** The creator's posting rule for `event` as it applies to X (postingRules). */
  rule(creatorId: string, event: PostingEvent): PostingDecision;
  /** Told about every post that reached a final state. */
  posted?(record: XPostRecord): void;
}

/** Finished post records are kept this long (dedupe of a stream's repeated events needs them for hours, not months). */
export const X_POSTS_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** At most this many rate-limit waits inside one attempt; then the attempt fails and the job backs off. */
const MAX_WAITS_PER_ATTEMPT = 5;

/**
 * Turns go-lives, stream ends and published clips into X posts. The
 * decision (postingRules, the creator's switches, minimum interval, dedupe)
 * is made when the event arrives and recorded under a dedupe key in the
 * state store; the post itself is an `x.post` job, so it survives a
 * restart, retries 5xx and network errors with backoff, and waits out X's
 * rate limit windows.
 */
export class XPoster {
  readonly #o: XPosterOptions;
  readonly #chains = new Map<string, Promise<void>>();
  /** Per account: the window X last reported for POST /2/tweets. */
  readonly #windows = new Map<string, RateLimitInfo>();

  constructor(options: XPosterOptions) {
    this.#o = options;
  }

  /** Registers the job handler; returns the unregister function. */
  register(): () => void {
    const { config } = this.#o;
    return this.#o.jobs.register({
      type: X_POST_JOB,
      concurrency: 1, // one post at a time: posts of an account share its rate limit window
      maxAttempts: config.maxAttempts,
      backoff: { initialMs: config.backoff.initialMs, maxMs: config.backoff.maxMs, factor: 2 },
      // An attempt may wait out a whole rate limit window.
      timeoutMs: config.maxRateLimitWaitSec * 1000 * MAX_WAITS_PER_ATTEMPT + 60_000,
      run: (job, ctx) => this.#run(job as JobRecord<XPostJobPayload>, ctx),
    });
  }

  /**
   * Pending posts whose job the registry does not hold (an in-memory job
   * registry after a restart, or a crash between record and enqueue) get a
   * job again; a durable registry re-queues its own. Finished records older
   * than X_POSTS_RETENTION_MS are dropped. Returns the keys queued again.
   */
  async recover(): Promise<string[]> {
    const again: string[] = [];
    const expired = this.#o.now() - X_POSTS_RETENTION_MS;
    for (const [key, record] of await this.#o.store.entries<XPostRecord>(X_POSTS_NAMESPACE)) {
      if (record.state !== 'pending') {
        if (record.createdAt < expired) await this.#o.store.delete(X_POSTS_NAMESPACE, key);
        continue;
      }
      const job = record.jobId === undefined ? undefined : await this.#o.jobs.get(record.jobId);
      if (job !== undefined && (job.state === 'queued' || job.state === 'running')) continue;
      if (job !== undefined && (job.state === 'failed' || job.state === 'cancelled')) {
        await this.#o.store.set(X_POSTS_NAMESPACE, key, { ...record, state: 'failed', error: job.error ?? job.state });
        continue;
      }
      await this.#enqueue(key, record);
      again.push(key);
    }
    return again;
  }

  /**
   * One go-live per stream — its id, else its start time (both survive a
   * restart; `at` would not) — and one per stream session: a creator who
   * is already live on another platform (Twitch and YouTube at once) is
   * not posted again; the platforms live now are kept in the state store.
   */
  online(event: StreamStatus): Promise<void> {
    const stream = event.streamId ?? String(event.startedAt ?? event.at);
    return this.#serial(event.creatorId, async () => {
      if (this.#o.settings(event.creatorId) === undefined) return; // a creator that does not post to X
      const elsewhere = await this.#markLive(event.creatorId, event.platform, stream);
      if (elsewhere.length > 0) {
        this.#o.logger.info({ creator: event.creatorId, platform: event.platform, liveOn: elsewhere }, 'X post skipped: the creator is already live on another platform (one go-live per stream session)');
        return;
      }
      await this.#decide(event.creatorId, 'stream.online', `${event.platform}\u0000${stream}`, {
        platform: event.platform,
        title: event.title ?? '',
        category: event.category ?? '',
        channel: event.channel,
      });
    });
  }

  offline(event: StreamStatus): Promise<void> {
    const stream = event.streamId ?? String(event.startedAt ?? event.at);
    return this.#serial(event.creatorId, async () => {
      if (this.#o.settings(event.creatorId) === undefined) return;
      await this.#markOffline(event.creatorId, event.platform);
      await this.#decide(event.creatorId, 'stream.offline', `${event.platform}\u0000${stream}`, { platform: event.platform, title: event.title ?? '', channel: event.channel });
    });
  }

  /** Records the platform live; returns the other platforms (fresh entries) the creator is live on. */
  async #markLive(creatorId: string, platform: string, stream: string): Promise<string[]> {
    const now = this.#o.now();
    const live = ((await this.#o.store.get<LivePlatforms>(X_LIVE_NAMESPACE, creatorId)) ?? {}) as LivePlatforms;
    const elsewhere = Object.entries(live)
      .filter(([other, entry]) => other !== platform && now - entry.since < X_LIVE_STALE_MS)
      .map(([other]) => other);
    const same = live[platform]?.stream === stream;
    if (!same) await this.#o.store.set(X_LIVE_NAMESPACE, creatorId, { ...live, [platform]: { stream, since: now } });
    return elsewhere;
  }

  async #markOffline(creatorId: string, platform: string): Promise<void> {
    const live = (await this.#o.store.get<LivePlatforms>(X_LIVE_NAMESPACE, creatorId)) as LivePlatforms | undefined;
    if (live?.[platform] === undefined) return;
    const { [platform]: _gone, ...rest } = live;
    if (Object.keys(rest).length === 0) await this.#o.store.delete(X_LIVE_NAMESPACE, creatorId);
    else await this.#o.store.set(X_LIVE_NAMESPACE, creatorId, rest);
  }

  clip(event: { creatorId: string; clipId: string; platform?: string; title?: string; url?: string }): Promise<void> {
    // Only a public http(s) link is worth posting (a local folder's file:// URL is not).
    if (event.url === undefined || !/^https?:\/\//.test(event.url)) return Promise.resolve();
    const { creatorId, clipId } = event;
    return this.#serial(creatorId, () => this.#decide(creatorId, 'clip.published', clipId, { platform: event.platform ?? '', title: event.title ?? '', url: event.url! }));
  }

  /** Resolves once every decision started so far is recorded (and its job enqueued). */
  async idle(): Promise<void> {
    await Promise.all([...this.#chains.values()]);
  }

  /** Whether and what to post for one event, recorded under its dedupe key (run on the creator's chain). */
  async #decide(creatorId: string, event: PostingEvent, id: string, values: Record<string, string>): Promise<void> {
    const settings = this.#o.settings(creatorId);
    if (settings === undefined || !settings.enabled) return;
    const rule = this.#o.rule(creatorId, event);
    if (!(rule.post ?? settings.events[event])) return; // postingRules (or the creator's switch) leave X out
    const key = `${creatorId}\u0000${event}\u0000${id}`;
    if ((await this.#o.store.get(X_POSTS_NAMESPACE, key)) !== undefined) {
      this.#o.logger.info({ creator: creatorId, event }, 'X post skipped: already posted (or queued) for this stream');
      return;
    }
    if (await this.#tooSoon(creatorId, event, rule)) return;
    const template = rule.template ?? templateOf(event, settings, this.#o.config);
    const text = this.#fill(template, { creator: settings.displayName ?? creatorId, url: settings.url ?? '', ...values });
    const record: XPostRecord = {
      creatorId,
      event,
      account: settings.account,
      text,
      ...(settings.replySettings === undefined ? {} : { replySettings: settings.replySettings }),
      state: 'pending',
      createdAt: this.#o.now(),
    };
    // Recorded before the enqueue: the same stream never gets a second job, even if a crash cuts in between (recover() enqueues it).
    await this.#o.store.set(X_POSTS_NAMESPACE, key, record);
    await this.#o.store.set(X_POSTED_AT_NAMESPACE, `${creatorId}\u0000${event}`, record.createdAt);
    await this.#enqueue(key, record);
  }

  async #enqueue(key: string, record: XPostRecord): Promise<void> {
    const job = await this.#o.jobs.enqueue(X_POST_JOB, { postKey: key }, { creatorId: record.creatorId });
    await this.#o.store.set(X_POSTS_NAMESPACE, key, { ...record, jobId: job.id });
  }

  async #run(job: JobRecord<XPostJobPayload>, ctx: JobRunContext): Promise<unknown> {
    const key = job.payload.postKey;
    const record = await this.#o.store.get<XPostRecord>(X_POSTS_NAMESPACE, key);
    if (record === undefined) return { skipped: 'no post record' };
    if (record.state !== 'pending') return { state: record.state, ...(record.tweetId === undefined ? {} : { tweetId: record.tweetId }) }; // a re-run after a crash
    const session = this.#o.session(record.account);
    const body = { text: record.text, ...(record.replySettings === undefined ? {} : { reply_settings: record.replySettings }) };
    for (let waits = 0; ; waits++) {
      await this.#waitForWindow(record.account, ctx.signal);
      const response = await session.call((token) => this.#o.api.createTweet(token, body, ctx.signal));
      this.#windows.set(record.account, response.rateLimit);
      if (response.status === 201 || response.status === 200) {
        const tweetId = response.body?.data?.id;
        await this.#finish(key, { ...record, state: 'posted', postedAt: this.#o.now(), ...(tweetId === undefined ? {} : { tweetId }) });
        this.#o.logger.info({ creator: record.creatorId, event: record.event, tweetId }, 'posted to X');
        return { tweetId: tweetId ?? null };
      }
      if (isDuplicateContent(response)) {
        const error = new SS_ERR_X_DUPLICATE(record.creatorId, record.event);
        await this.#finish(key, { ...record, state: 'duplicate', error: error.message });
        this.#o.logger.warn({ creator: record.creatorId, event: record.event, code: error.code }, error.message);
        return { duplicate: true, code: error.code };
      }
      if (response.status === 429) {
        const waitMs = waitMsFor(response.rateLimit, this.#o.now(), true);
        if (waitMs > this.#o.config.maxRateLimitWaitSec * 1000 || waits >= MAX_WAITS_PER_ATTEMPT) {
          throw new SS_ERR_X_API('POST /2/tweets', 429, `rate limited; the window resets in ${Math.ceil(waitMs / 1000)} s`);
        }
        this.#o.logger.info({ creator: record.creatorId, account: record.account, waitMs }, 'X rate limit (429): waiting for the window to reset');
        this.#windows.set(record.account, { ...response.rateLimit, remaining: 0, resetAt: this.#o.now() + waitMs });
        continue;
      }
      const error = new SS_ERR_X_API('POST /2/tweets', response.status, this.#o.secrets.redactString(problemText(response)));
      if (response.status >= 500) throw error; // retried with the job's backoff
      await this.#finish(key, { ...record, state: 'failed', error: error.message });
      throw notRetryable(error);
    }
  }

  /** Waits until the account's window resets when X said none is left (`x-rate-limit-remaining: 0`). */
  async #waitForWindow(account: string, signal: AbortSignal): Promise<void> {
    const window = this.#windows.get(account);
    if (window === undefined) return;
    const waitMs = waitMsFor(window, this.#o.now(), false);
    if (waitMs <= 0) return;
    if (waitMs > this.#o.config.maxRateLimitWaitSec * 1000) throw new SS_ERR_X_API('POST /2/tweets', 429, `no requests left; the window resets in ${Math.ceil(waitMs / 1000)} s`);
    this.#o.logger.info({ account, waitMs }, 'X rate limit window used up: waiting for its reset');
    await sleep(waitMs, signal);
    this.#windows.delete(account);
  }

  async #finish(key: string, record: XPostRecord): Promise<void> {
    await this.#o.store.set(X_POSTS_NAMESPACE, key, record);
    this.#o.posted?.(record);
  }

  #serial(creatorId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.#chains.get(creatorId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.#o.logger.warn({ err: error, creator: creatorId }, 'an X post could not be queued'));
    this.#chains.set(creatorId, next);
    return next;
  }

  async #tooSoon(creatorId: string, event: PostingEvent, rule: PostingDecision): Promise<boolean> {
    if (rule.minIntervalSec === undefined || rule.minIntervalSec === 0) return false;
    const last = await this.#o.store.get<number>(X_POSTED_AT_NAMESPACE, `${creatorId}\u0000${event}`);
    const waitMs = typeof last === 'number' ? last + rule.minIntervalSec * 1000 - this.#o.now() : 0;
    if (waitMs <= 0) return false;
    this.#o.logger.info({ creator: creatorId, event, minIntervalSec: rule.minIntervalSec, waitMs }, 'X post skipped: postingRules minimum interval');
    return true;
  }

  /** Fills `{name}` placeholders, drops the gaps empty ones leave, caps at X's 280 characters; never carries a secret. */
  #fill(template: string, values: Record<string, string>): string {
    return fillTemplate(this.#o.secrets.redactString(template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)));
  }
}

/** The creator's template for an event, else the plugin-wide one. */
function templateOf(event: PostingEvent, settings: XCreatorConfig, config: XConfig): string {
  const name = event === 'stream.online' ? 'live' : event === 'stream.offline' ? 'ended' : 'clip';
  return settings.templates[name] ?? config.templates[name];
}

/** Tidies a filled text and caps it at 280 code points (X's limit for a standard account). */
export function fillTemplate(text: string): string {
  const tidy = text.replace(/[ \t]{2,}/g, ' ').replace(/ +([:,.!?])(?=\s|$)/g, '$1').trim();
  const points = [...tidy];
  return points.length <= 280 ? tidy : `${points.slice(0, 279).join('')}…`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => (signal.removeEventListener('abort', aborted), resolve()), ms);
    const aborted = () => (clearTimeout(timer), reject(signal.reason));
    signal.addEventListener('abort', aborted, { once: true });
  });
}
