import { Routes, type REST } from 'discord.js';
import type { Logger, PostingDecision, PostingEvent, SecretRegistry, StateStore, StreamStatus } from '@streamsuites/kernel';

/** Discord's JSON error code for a message that no longer exists. */
const UNKNOWN_MESSAGE = 10008;

/** Where announcements live in the state store: a restart mid-stream edits the same messages. */
export const ANNOUNCEMENTS_NAMESPACE = 'discord.announcements';
/** When each creator's last post of each event was made (postingRules' minIntervalSec holds across restarts). */
export const POSTED_AT_NAMESPACE = 'discord.posted-at';

export interface AnnouncementTemplates {
  live: string;
  ended: string;
  clips: boolean;
  clip: string;
}

/** One creator's current stream announcement. */
interface Announcement {
  startedAt: number;
  /** Platform → stream title, for the platforms live now. */
  live: Record<string, string>;
  /** Platforms that were live in this stream (kept for the ended text). */
  platforms: string[];
  messages: { channelId: string; messageId: string }[];
}

/** The last announcement posted in a channel, for the guild file. */
export interface PostedAnnouncement {
  creatorId: string;
  channelId: string;
  messageId: string;
  kind: 'live' | 'ended' | 'clip';
  at: number;
}

export interface AnnouncerOptions {
  rest: REST;
  /** Announcement channels (one per allowed server that has one). */
  channels: readonly string[];
  store: StateStore;
  templates: AnnouncementTemplates;
  secrets: SecretRegistry;
  logger: Logger;
  now(): number;
  /** The creator's name in announcements, or undefined when the creator is not announced. */
  nameOf(creatorId: string): string | undefined;
  /** The creator's posting rule for an event, as it applies to Discord (postingRules); none: the templates above. */
  rule?(creatorId: string, event: PostingEvent): PostingDecision;
  posted(record: PostedAnnouncement): void;
}

/**
 * Go-live and clip announcements. The first `stream.online` of a creator
 * posts one message per announcement channel; another platform going live
 * in the same stream edits that message to list it (so platforms going live
 * together give one message); `stream.offline` of the last live platform
 * edits it with the duration. Work per creator is serialised, so events that
 * arrive together never post twice. The messages are kept in the state
 * store; a restart edits them instead of posting again.
 */
export class Announcer {
  readonly #o: AnnouncerOptions;
  readonly #chains = new Map<string, Promise<void>>();

  constructor(options: AnnouncerOptions) {
    this.#o = options;
  }

  online(event: StreamStatus): Promise<void> {
    return this.#serial(event.creatorId, async () => {
      const name = this.#o.nameOf(event.creatorId);
      if (name === undefined) return;
      const rule = this.#rule(event.creatorId, 'stream.online');
      if (rule.post === false) return; // postingRules: go-live is not posted to Discord for this creator
      const current = (await this.#load(event.creatorId)) ?? { startedAt: event.startedAt ?? event.at, live: {}, platforms: [], messages: [] };
      if (current.live[event.platform] !== undefined && current.messages.length > 0) return; // already announced
      // A new post (not an edit) waits out the minimum interval since the last one: a flapping stream posts once.
      if (current.messages.length === 0 && (await this.#tooSoon(event.creatorId, 'stream.online', rule))) return;
      current.live[event.platform] = event.title ?? '';
      if (!current.platforms.includes(event.platform)) current.platforms.push(event.platform);
      const content = this.#liveText(name, current, rule.template);
      if (current.messages.length === 0) {
        const at = this.#o.now();
        for (const channelId of this.#o.channels) {
          const message = (await this.#o.rest.post(Routes.channelMessages(channelId), { body: { content, allowed_mentions: { parse: [] } } })) as { id: string };
          current.messages.push({ channelId, messageId: message.id });
          this.#o.posted({ creatorId: event.creatorId, channelId, messageId: message.id, kind: 'live', at: this.#o.now() });
        }
        // After the post: a post Discord refused does not hold the next one back.
        await this.#postedAt(event.creatorId, 'stream.online', at);
      } else {
        await this.#edit(event.creatorId, current, content, 'live');
      }
      await this.#save(event.creatorId, current);
    });
  }

  offline(event: StreamStatus): Promise<void> {
    return this.#serial(event.creatorId, async () => {
      const name = this.#o.nameOf(event.creatorId);
      const current = await this.#load(event.creatorId);
      if (name === undefined || current === undefined || current.live[event.platform] === undefined) return;
      delete current.live[event.platform];
      const live = this.#rule(event.creatorId, 'stream.online').template;
      if (Object.keys(current.live).length > 0) {
        await this.#edit(event.creatorId, current, this.#liveText(name, current, live), 'live');
        await this.#save(event.creatorId, current);
        return;
      }
      const rule = this.#rule(event.creatorId, 'stream.offline');
      // postingRules without Discord for stream.offline: the go-live message stays as it is.
      if (rule.post !== false) {
        const duration = formatDuration(this.#o.now() - current.startedAt);
        const ended = `${this.#fill(live ?? this.#o.templates.live, { creator: name, platforms: current.platforms.join(', '), title: '' }).trimEnd()}\n${this.#fill(rule.template ?? this.#o.templates.ended, { duration })}`;
        await this.#edit(event.creatorId, current, ended, 'ended');
      }
      await this.#o.store.delete(ANNOUNCEMENTS_NAMESPACE, event.creatorId);
    });
  }

  clip(event: { creatorId: string; clipId: string; title?: string; url?: string }): Promise<void> {
    if (event.url === undefined || !/^https?:\/\//.test(event.url)) return Promise.resolve();
    return this.#serial(event.creatorId, async () => {
      const name = this.#o.nameOf(event.creatorId);
      if (name === undefined) return;
      const rule = this.#rule(event.creatorId, 'clip.published');
      if (!(rule.post ?? this.#o.templates.clips)) return;
      if (await this.#tooSoon(event.creatorId, 'clip.published', rule)) return;
      const content = this.#fill(rule.template ?? this.#o.templates.clip, { creator: name, title: event.title ?? '', url: event.url ?? '' });
      const at = this.#o.now();
      for (const channelId of this.#o.channels) {
        const message = (await this.#o.rest.post(Routes.channelMessages(channelId), { body: { content, allowed_mentions: { parse: [] } } })) as { id: string };
        this.#o.posted({ creatorId: event.creatorId, channelId, messageId: message.id, kind: 'clip', at: this.#o.now() });
      }
      await this.#postedAt(event.creatorId, 'clip.published', at);
    });
  }

  /** Resolves once every announcement started so far is done. */
  async idle(): Promise<void> {
    await Promise.all([...this.#chains.values()]);
  }

  #serial(creatorId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.#chains.get(creatorId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.#o.logger.warn({ err: error, creator: creatorId }, 'a Discord announcement failed'));
    this.#chains.set(creatorId, next);
    return next;
  }

  async #edit(creatorId: string, current: Announcement, content: string, kind: 'live' | 'ended'): Promise<void> {
    for (const message of current.messages) {
      try {
        await this.#o.rest.patch(Routes.channelMessage(message.channelId, message.messageId), { body: { content } });
      } catch (error) {
        // Deleted in Discord meanwhile (Unknown Message): post it again rather than lose the announcement.
        if ((error as { code?: unknown }).code !== UNKNOWN_MESSAGE) throw error;
        const posted = (await this.#o.rest.post(Routes.channelMessages(message.channelId), { body: { content, allowed_mentions: { parse: [] } } })) as { id: string };
        message.messageId = posted.id;
      }
      this.#o.posted({ creatorId, channelId: message.channelId, messageId: message.messageId, kind, at: this.#o.now() });
    }
  }

  #liveText(name: string, current: Announcement, template: string | undefined): string {
    const live = Object.keys(current.live);
    const titles = [...new Set(Object.values(current.live).filter((t) => t.length > 0))];
    return this.#fill(template ?? this.#o.templates.live, { creator: name, platforms: live.join(', '), title: titles.join(' · ') });
  }

  #rule(creatorId: string, event: PostingEvent): PostingDecision {
    return this.#o.rule?.(creatorId, event) ?? { post: undefined };
  }

  /** True (and logged) when the last post of this event is younger than the rule's minimum interval. */
  async #tooSoon(creatorId: string, event: PostingEvent, rule: PostingDecision): Promise<boolean> {
    if (rule.minIntervalSec === undefined || rule.minIntervalSec === 0) return false;
    const last = await this.#o.store.get<number>(POSTED_AT_NAMESPACE, `${creatorId}\u0000${event}`);
    const waitMs = typeof last === 'number' ? last + rule.minIntervalSec * 1000 - this.#o.now() : 0;
    if (waitMs <= 0) return false;
    this.#o.logger.info({ creator: creatorId, event, minIntervalSec: rule.minIntervalSec, waitMs }, 'Discord post skipped: postingRules minimum interval');
    return true;
  }

  #postedAt(creatorId: string, event: PostingEvent, at: number): Promise<void> {
    return this.#o.store.set(POSTED_AT_NAMESPACE, `${creatorId}\u0000${event}`, at);
  }

  /** Fills `{name}` placeholders; the result never carries a secret. */
  #fill(template: string, values: Record<string, string>): string {
    const text = template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
    return this.#o.secrets.redactString(text).slice(0, 2000);
  }

  async #load(creatorId: string): Promise<Announcement | undefined> {
    const stored = (await this.#o.store.get(ANNOUNCEMENTS_NAMESPACE, creatorId)) as Announcement | undefined;
    return stored !== undefined && typeof stored === 'object' && Array.isArray(stored.messages) ? stored : undefined;
  }

  #save(creatorId: string, current: Announcement): Promise<void> {
    return this.#o.store.set(ANNOUNCEMENTS_NAMESPACE, creatorId, current);
  }
}

/** `1 h 05 min`, `12 min`, `40 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
