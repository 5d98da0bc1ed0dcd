/** What the exports plugin observes on the bus: chat activity, plugin failures, platform connection states, streams live, the bot's replies. */
import type { ActionEvent, ChatMessage, EventBus, PlatformConnectionEvent, PlatformConnectionState, StreamStatus } from '@streamsuites/kernel';
import { ChatRate } from './metrics.js';
import { Ring } from './ring.js';
import { iso } from './section.js';

export interface PlatformActivity {
  messages: number;
  lastMessageAt: number;
}

/** A platform connection as its plugin last reported it (`platform.connection`). */
export interface ConnectionRecord {
  state: PlatformConnectionState;
  /** Kernel time it became `connected`, or left it (the start of the degraded period, across state changes within it). */
  since: number;
  /** The latest reason given while not connected. */
  reason?: string;
  attempt: number;
  /** Whether it was ever `connected` (a first `connecting` is not degraded). */
  everConnected: boolean;
}

const MAX_REASON = 200;

/** A creator's stream on a platform, from `stream.online` / `stream.offline`. */
export interface LiveRecord {
  live: boolean;
  /** When the stream started (the platform's `startedAt`, else the event's time), while live. */
  since?: number;
}

/** How long after a `chat.reply` was dispatched its text coming back in the chat is taken for the bot's own message. */
export const ECHO_WINDOW_MS = 60_000;
/** A piece of a reply a platform split (YouTube: 200 characters) is recognised from this length on. */
const MIN_PIECE = 16;
/** Replies waiting for their echo (more than any platform lets a bot send in a minute). */
const MAX_PENDING = 500;

/** A row of the chat window: a message as received, or the bot's reply; `bot` on the bot's own. */
interface ChatEntry {
  message: ChatMessage;
  bot: boolean;
}

/** A reply sent, waiting for its text to come back in the chat (some platforms show the bot its own messages). */
interface PendingReply {
  creator: string;
  platform: string | undefined;
  /** Whitespace-normalized text not seen back yet. */
  text: string;
  at: number;
  /** The row added for it (no echo seen yet): the echo takes its place, so the reply is one row. */
  row: ChatEntry | undefined;
}

/** Text as platforms deliver it back: whitespace runs as one space, trimmed, no zero-width space first (Twitch's chatSafe). */
const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/^\u200b/, '');

/** What the exports plugin observes on the bus: chat activity, plugin failures and platform connection states. */
export class RuntimeObserver {
  /** The last `size` messages, as received (rows are built when a file is written, off the chat path). */
  readonly #ring: Ring<ChatEntry>;
  readonly #now: () => number;
  readonly #pending: PendingReply[] = [];
  readonly #live = new Map<string, LiveRecord>();
  /** Chat messages per minute per creator and platform (metrics.json, the runtime snapshot's messagesPerMinute). */
  readonly rate = new ChatRate();
  readonly #activity = new Map<string, Map<string, PlatformActivity>>();
  readonly #failures = new Map<string, number>();
  readonly #connections = new Map<string, ConnectionRecord>();
  readonly #attached = new WeakSet<EventBus>();

  /** `now`: the kernel clock (the time of a reply row). */
  constructor(windowSize: number, now: () => number = () => 0) {
    this.#ring = new Ring(windowSize);
    this.#now = now;
  }

  /**
   * Follows `platform.connection`, `stream.online`/`stream.offline` and
   * `action.dispatched` (the bot's replies) on `bus`; once per bus (later calls return
   * a no-op). The runtime snapshot calls it at its first write, so the
   * states reported before `kernel.started` are only seen when the plugin
   * attaches at init.
   */
  attach(bus: EventBus): () => void {
    if (this.#attached.has(bus)) return () => {};
    this.#attached.add(bus);
    const offs = [
      bus.on('platform.connection', (event) => this.connection(event)),
      bus.on('stream.online', (event) => this.stream(event, true)),
      bus.on('stream.offline', (event) => this.stream(event, false)),
      bus.on('action.dispatched', (event) => this.action(event)),
    ];
    const off = () => {
      for (const o of offs) o();
    };
    const offStopped = bus.once('kernel.stopped', () => off());
    return () => {
      off();
      offStopped();
      this.#attached.delete(bus);
    };
  }

  connection(event: PlatformConnectionEvent): void {
    if (typeof event !== 'object' || event === null || typeof event.creatorId !== 'string' || typeof event.platform !== 'string') return;
    const key = `${event.creatorId}\u0000${event.platform}`;
    const prev = this.#connections.get(key);
    const at = Number.isFinite(event.at) ? event.at : (prev?.since ?? 0);
    const attempt = Number.isInteger(event.attempt) && event.attempt >= 0 ? event.attempt : 0;
    if (event.state === 'connected') {
      this.#connections.set(key, { state: 'connected', since: prev?.state === 'connected' ? prev.since : at, attempt, everConnected: true });
      return;
    }
    const ongoing = prev !== undefined && prev.state !== 'connected';
    const reason = typeof event.reason === 'string' && event.reason.length > 0 ? event.reason.slice(0, MAX_REASON) : ongoing ? prev.reason : undefined;
    this.#connections.set(key, {
      state: event.state,
      since: ongoing ? prev.since : at,
      ...(reason === undefined ? {} : { reason }),
      attempt,
      everConnected: prev?.everConnected ?? false,
    });
  }

  /** `stream.online` (live) or `stream.offline`. */
  stream(event: StreamStatus, live: boolean): void {
    if (typeof event !== 'object' || event === null || typeof event.creatorId !== 'string' || typeof event.platform !== 'string') return;
    const key = `${event.creatorId}\u0000${event.platform}`;
    if (!live) {
      this.#live.set(key, { live: false });
      return;
    }
    const prev = this.#live.get(key);
    const since = Number.isFinite(event.startedAt) ? event.startedAt! : prev?.live === true && prev.since !== undefined ? prev.since : Number.isFinite(event.at) ? event.at : undefined;
    this.#live.set(key, { live: true, ...(since === undefined ? {} : { since }) });
  }

  liveOf(creatorId: string, platform: string): LiveRecord | undefined {
    return this.#live.get(`${creatorId}\u0000${platform}`);
  }

  /** Platforms with a reported stream state for a creator. */
  livePlatforms(creatorId: string): string[] {
    const prefix = `${creatorId}\u0000`;
    return [...this.#live.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }

  /**
   * `action.dispatched`: an executed `chat.reply` is the bot's message. If
   * its text already came back in the chat (a platform that shows the bot
   * its own messages, like YouTube), that message is marked `bot`; else a
   * row is added for the reply (platforms that drop their echo, like Twitch,
   * never show it as chat), which the echo replaces if it comes later.
   */
  action(event: ActionEvent): void {
    if (typeof event !== 'object' || event === null || event.dryRun !== false || event.action?.type !== 'chat.reply' || typeof event.creatorId !== 'string') return;
    const raw = (event.action.params as { text?: unknown } | undefined)?.text;
    if (typeof raw !== 'string' || this.#ring.capacity === 0) return;
    const pending: PendingReply = { creator: event.creatorId, platform: typeof event.platform === 'string' ? event.platform : undefined, text: normalize(raw), at: Number.isFinite(event.at) ? event.at : this.#now(), row: undefined };
    if (pending.text === '') return;
    // The echo may have come back before the send call returned (action.dispatched follows it).
    let matched = false;
    for (let i = 0; i < this.#ring.length && pending.text !== ''; i++) {
      const entry = this.#ring.newest(i)!;
      if (entry.message.receivedAt <= pending.at) break; // chat from before the send began is not its echo
      if (entry.bot || !this.#sameChat(pending, entry.message) || !consume(pending, normalize(entry.message.text))) continue;
      entry.bot = true;
      matched = true;
    }
    if (pending.text === '') return;
    if (!matched) {
      const at = Math.max(this.#now(), pending.at);
      const message: ChatMessage = {
        id: typeof event.actionId === 'string' ? event.actionId : '',
        platform: pending.platform ?? '',
        creatorId: event.creatorId,
        channel: '',
        receivedAt: at,
        sentAt: at,
        author: { id: '', login: '', displayName: '', roles: [] },
        text: raw,
        isAction: false,
      };
      pending.row = { message, bot: true };
      this.#ring.push(pending.row);
    }
    this.#forgetReplies(pending.at);
    if (this.#pending.length >= MAX_PENDING) this.#pending.shift();
    this.#pending.push(pending);
  }

  #sameChat(reply: PendingReply, message: ChatMessage): boolean {
    return message.creatorId === reply.creator && (reply.platform === undefined || message.platform === reply.platform);
  }

  #forgetReplies(now: number): void {
    while (this.#pending.length > 0 && now - this.#pending[0]!.at > ECHO_WINDOW_MS) this.#pending.shift();
  }

  /** The reply `message` is the echo of, if any (its text consumed). */
  #claim(message: ChatMessage): PendingReply | undefined {
    this.#forgetReplies(message.receivedAt);
    if (this.#pending.length === 0) return undefined;
    const text = normalize(message.text);
    for (let i = 0; i < this.#pending.length; i++) {
      const reply = this.#pending[i]!;
      if (!this.#sameChat(reply, message) || message.receivedAt <= reply.at || !consume(reply, text)) continue;
      if (reply.text === '') this.#pending.splice(i, 1);
      return reply;
    }
    return undefined;
  }

  connectionOf(creatorId: string, platform: string): ConnectionRecord | undefined {
    return this.#connections.get(`${creatorId}\u0000${platform}`);
  }

  /** Platforms with a reported connection state for a creator. */
  connectedPlatforms(creatorId: string): string[] {
    const prefix = `${creatorId}\u0000`;
    return [...this.#connections.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }

  chat(message: ChatMessage): void {
    if (typeof message !== 'object' || message === null || typeof message.text !== 'string') return;
    let platforms = this.#activity.get(message.creatorId);
    if (platforms === undefined) this.#activity.set(message.creatorId, (platforms = new Map()));
    let activity = platforms.get(message.platform);
    if (activity === undefined) platforms.set(message.platform, (activity = { messages: 0, lastMessageAt: 0 }));
    activity.messages += 1;
    if (message.receivedAt > activity.lastMessageAt) activity.lastMessageAt = message.receivedAt;
    this.rate.add(message.creatorId, message.platform, message.receivedAt);
    if (this.#ring.capacity === 0) return;
    if (this.#pending.length > 0) {
      const reply = this.#claim(message);
      if (reply?.row !== undefined) {
        // The echo of a reply shown already: it takes the reply's row (its real id and author), still the bot's.
        reply.row.message = message;
        reply.row = undefined;
        return;
      }
      if (reply !== undefined) {
        this.#ring.push({ message, bot: true });
        return;
      }
    }
    this.#ring.push({ message, bot: false });
  }

  failure(creatorId: string | undefined, pluginId: string): void {
    const key = `${creatorId ?? '*'}\u0000${pluginId}`;
    this.#failures.set(key, (this.#failures.get(key) ?? 0) + 1);
  }

  /** The window's rows, oldest first. */
  chatWindow(): unknown[] {
    return this.#ring.toArray().map(({ message, bot }) => ({
      at: iso(message.receivedAt),
      creator: message.creatorId,
      platform: message.platform,
      messageId: message.id,
      author: { displayName: message.author?.displayName ?? '', roles: [...(message.author?.roles ?? [])] },
      text: message.text,
      ...(bot ? { bot: true } : {}),
    }));
  }

  activity(creatorId: string): Map<string, PlatformActivity> {
    return this.#activity.get(creatorId) ?? new Map();
  }

  failures(creatorId: string, pluginId: string): number {
    return (this.#failures.get(`${creatorId}\u0000${pluginId}`) ?? 0) + (this.#failures.get(`*\u0000${pluginId}`) ?? 0);
  }
}

/**
 * Takes `text` off what a reply still waits for: the whole of it, or a
 * piece of a reply the platform split into several messages (at least
 * MIN_PIECE characters, so a short chat line is never taken for a piece).
 */
function consume(reply: PendingReply, text: string): boolean {
  if (text === '') return false;
  if (text === reply.text) {
    reply.text = '';
    return true;
  }
  if (text.length < MIN_PIECE || text.length >= reply.text.length || !reply.text.includes(text)) return false;
  reply.text = normalize(reply.text.replace(text, ' '));
  return true;
}
