/**
 * One keyed channel of the fake Live Stream API: what a test made happen
 * (livestream, chat, rants, followers, subscribers, gifts) and the get-data
 * body Rumble would serve for it. The body is a window over that history,
 * exactly as Rumble's: the last `maxResults` of each list, repeated from one
 * poll to the next, with no ids; telling old from new is the plugin's job.
 */
import { randomBytes } from 'node:crypto';
import { GET_DATA_TEMPLATE, orderLike } from './api-template.js';
import type { FakeRumbleCategory, FakeRumbleChannel, FakeRumbleChannelOptions, FakeRumbleGoLiveOptions } from './api-types.js';

interface Message {
  username: string;
  badges: string[];
  text: string;
  at: number;
}

interface Rant extends Message {
  amountCents: number;
  expiresAt: number;
}

interface Livestream {
  id: string;
  title: string;
  createdOn: number;
  categories: { primary?: FakeRumbleCategory; secondary?: FakeRumbleCategory };
  isLive: boolean;
  messages: Message[];
  rants: Rant[];
}

/** What the embed endpoint needs to know of a livestream this fake listed. */
export interface KnownLivestream {
  id: string;
  title: string;
  createdOn: number;
  author: string;
}

const DEFAULT_CATEGORIES = {
  primary: { slug: 'gaming', title: 'Gaming' },
  secondary: { slug: 'simulators', title: 'Simulators' },
};

/** `2024-10-01T16:05:01+00:00`: Rumble's chat and subscriber times, second precision. */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

/** `2024-10-01T12:05:01-04:00`: the same instant as Rumble shows followers (fixed UTC-4). */
export function formatMinus4(ms: number): string {
  return `${new Date(ms - 4 * 3_600_000).toISOString().slice(0, 19)}-04:00`;
}

/** A base-36 livestream id like `6a1b2c`. */
export function generateLivestreamId(): string {
  const n = randomBytes(4).readUInt32BE(0) % 36 ** 5;
  return `6${n.toString(36).padStart(5, '0')}`;
}

export class FakeChannel implements FakeRumbleChannel {
  readonly key: string;
  readonly #username: string;
  readonly #userId: string;
  readonly #channelName: string | null;
  readonly #channelId: string | null;
  readonly #streamKey: string;
  readonly #now: () => number;
  readonly #maxResults: number;
  readonly #onLivestream: (stream: KnownLivestream) => void;
  #listed: Livestream | undefined;
  /** The last entries of each list (trimmed, never below `maxResults`) and how many there ever were. */
  readonly #followers: { username: string; at: number }[] = [];
  readonly #subscribers: { username: string; amountCents: number; at: number }[] = [];
  readonly #gifts: { username: string; count: number; at: number; videoId: number | null }[] = [];
  readonly #counts = { followers: 0, subscribers: 0, gifts: 0 };

  constructor(
    key: string,
    serial: number,
    options: FakeRumbleChannelOptions,
    env: { now: () => number; maxResults: number; onLivestream: (stream: KnownLivestream) => void },
  ) {
    this.key = key;
    this.#username = options.username ?? `FakeStreamer${serial}`;
    this.#userId = options.userId ?? `u${(100_000 + serial).toString(36)}`;
    this.#channelName = options.channelName ?? null;
    this.#channelId = options.channelId ?? null;
    this.#streamKey = options.streamKey ?? randomBytes(30).toString('base64url');
    this.#now = env.now;
    this.#maxResults = env.maxResults;
    this.#onLivestream = env.onLivestream;
  }

  get liveId(): string | undefined {
    return this.#listed?.id;
  }

  goLive(options: FakeRumbleGoLiveOptions = {}): { id: string } {
    const id = options.id ?? generateLivestreamId();
    const resumed = this.#listed?.id === id ? this.#listed : undefined;
    const stream: Livestream = resumed ?? {
      id,
      title: options.title ?? `Live stream ${id}`,
      createdOn: options.createdOn ?? this.#now(),
      categories: options.categories ?? DEFAULT_CATEGORIES,
      isLive: true,
      messages: [],
      rants: [],
    };
    stream.isLive = true;
    if (resumed && options.title !== undefined) stream.title = options.title;
    this.#listed = stream;
    this.#onLivestream({ id, title: stream.title, createdOn: stream.createdOn, author: this.#channelName ?? this.#username });
    return { id };
  }

  goOffline(options: { keepListed?: boolean } = {}): void {
    if (!this.#listed) return;
    if (options.keepListed) this.#listed.isLive = false;
    else this.#listed = undefined;
  }

  say(options: { username: string; text: string; badges?: string[]; at?: number }): void {
    const stream = this.#requireStream('say');
    keepLast(stream.messages, { username: options.username, badges: [...(options.badges ?? [])], text: options.text, at: options.at ?? this.#now() }, this.#maxResults);
  }

  rant(options: { username: string; text: string; amountCents: number; badges?: string[]; at?: number; expiresAfterSec?: number }): void {
    const stream = this.#requireStream('rant');
    const at = options.at ?? this.#now();
    keepLast(
      stream.rants,
      {
        username: options.username,
        badges: [...(options.badges ?? [])],
        text: options.text,
        at,
        amountCents: options.amountCents,
        expiresAt: at + (options.expiresAfterSec ?? 120) * 1000,
      },
      this.#maxResults,
    );
  }

  follow(username: string, at?: number): void {
    keepLast(this.#followers, { username, at: at ?? this.#now() }, this.#maxResults);
    this.#counts.followers++;
  }

  subscribe(username: string, amountCents = 500, at?: number): void {
    keepLast(this.#subscribers, { username, amountCents, at: at ?? this.#now() }, this.#maxResults);
    this.#counts.subscribers++;
  }

  giftSubs(username: string, count: number, at?: number): void {
    const videoId = this.#listed ? Number.parseInt(this.#listed.id, 36) : null;
    keepLast(this.#gifts, { username, count, at: at ?? this.#now(), videoId }, this.#maxResults);
    this.#counts.gifts++;
  }

  /** The get-data body, in Rumble's field order. */
  body(): unknown {
    const max = this.#maxResults;
    const followers = newestFirst(this.#followers, max).map((f) => ({
      username: f.username,
      followed_on: formatMinus4(f.at),
      profile_pic_url: '',
    }));
    const subscribers = newestFirst(this.#subscribers, max).map((s) => ({
      username: s.username,
      user: s.username,
      amount_cents: s.amountCents,
      amount_dollars: Math.trunc(s.amountCents / 100),
      subscribed_on: formatUtc(s.at),
    }));
    const gifts = newestFirst(this.#gifts, max).map((g) => ({
      total_gifts: g.count,
      purchased_by: g.username,
      gifted_on: formatUtc(g.at),
      video_id: g.videoId,
      gift_type: 'subscription',
      remaining_gifts: 0,
    }));
    const stream = this.#listed;
    const body = {
      now: Math.floor(this.#now() / 1000),
      type: 'user',
      user_id: this.#userId,
      username: this.#username,
      channel_id: this.#channelId,
      channel_name: this.#channelName,
      since: null,
      max_num_results: max,
      followers: {
        num_followers: this.#counts.followers,
        num_followers_total: this.#counts.followers,
        latest_follower: followers[0] ?? null,
        recent_followers: followers,
      },
      subscribers: {
        num_subscribers: this.#counts.subscribers,
        latest_subscriber: subscribers[0] ?? null,
        recent_subscribers: subscribers,
      },
      gifted_subs: {
        num_gifted_subs: this.#counts.gifts,
        latest_gifted_sub: gifts[0] ?? null,
        recent_gifted_subs: gifts,
      },
      livestreams: stream ? [this.#livestreamBody(stream)] : [],
    };
    return orderLike(GET_DATA_TEMPLATE, body);
  }

  #livestreamBody(stream: Livestream): unknown {
    const max = this.#maxResults;
    const messages = stream.messages.slice(-max).map((m) => ({
      username: m.username,
      badges: [...m.badges],
      text: m.text,
      created_on: formatUtc(m.at),
      profile_pic_url: '',
    }));
    const rants = stream.rants.slice(-max).map((r) => ({
      username: r.username,
      badges: [...r.badges],
      text: r.text,
      created_on: formatUtc(r.at),
      expires_on: formatUtc(r.expiresAt),
      amount_cents: r.amountCents,
      amount_dollars: Math.trunc(r.amountCents / 100),
      profile_pic_url: '',
    }));
    return {
      id: stream.id,
      title: stream.title,
      created_on: formatUtc(stream.createdOn),
      scheduled_on: formatUtc(stream.createdOn),
      is_live: stream.isLive,
      visibility: 'public',
      categories: stream.categories,
      stream_key: this.#streamKey,
      server_url: 'rtmp://rtmp.example.invalid/live',
      likes: 0,
      dislikes: 0,
      watching_now: 0,
      chat: {
        latest_message: messages.at(-1) ?? null,
        recent_messages: messages,
        latest_rant: rants.at(-1) ?? null,
        recent_rants: rants,
      },
    };
  }

  #requireStream(what: string): Livestream {
    if (!this.#listed) throw new Error(`fake Rumble API: ${what}() on key "${this.key}" with no livestream listed; call goLive() first`);
    return this.#listed;
  }
}

/** The last `max` entries of `list`, newest first. */
function newestFirst<T>(list: readonly T[], max: number): T[] {
  return list.slice(-max).reverse();
}

/** Appends, and trims the history to the last `max` once it doubles (amortized, never served beyond `max`). */
function keepLast<T>(list: T[], entry: T, max: number): void {
  list.push(entry);
  if (list.length >= 2 * max) list.splice(0, list.length - max);
}
