import { Routes, type REST } from 'discord.js';
import type { Logger, SecretRegistry, StateStore, StreamStatus } from '@streamsuites/kernel';

/** Discord's JSON error code for a message that no longer exists. */
const UNKNOWN_MESSAGE = 10008;

/** Where announcements live in the state store: a restart mid-stream edits the same messages. */
export const ANNOUNCEMENTS_NAMESPACE = 'discord.announcements';

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
      const current = (await this.#load(event.creatorId)) ?? { startedAt: event.startedAt ?? event.at, live: {}, platforms: [], messages: [] };
      if (current.live[event.platform] !== undefined && current.messages.length > 0) return; // already announced
      current.live[event.platform] = event.title ?? '';
      if (!current.platforms.includes(event.platform)) current.platforms.push(event.platform);
      const content = this.#liveText(name, current);
      if (current.messages.length === 0) {
        for (const channelId of this.#o.channels) {
          const message = (await this.#o.rest.post(Routes.channelMessages(channelId), { body: { content, allowed_mentions: { parse: [] } } })) as { id: string };
          current.messages.push({ channelId, messageId: message.id });
          this.#o.posted({ creatorId: event.creatorId, channelId, messageId: message.id, kind: 'live', at: this.#o.now() });
        }
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
      if (Object.keys(current.live).length > 0) {
        await this.#edit(event.creatorId, current, this.#liveText(name, current), 'live');
        await this.#save(event.creatorId, current);
        return;
      }
      const duration = formatDuration(this.#o.now() - current.startedAt);
      const ended = `${this.#fill(this.#o.templates.live, { creator: name, platforms: current.platforms.join(', '), title: '' }).trimEnd()}\n${this.#fill(this.#o.templates.ended, { duration })}`;
      await this.#edit(event.creatorId, current, ended, 'ended');
      await this.#o.store.delete(ANNOUNCEMENTS_NAMESPACE, event.creatorId);
    });
  }

  clip(event: { creatorId: string; clipId: string; title?: string; url?: string }): Promise<void> {
    if (!this.#o.templates.clips || event.url === undefined || !/^https?:\/\//.test(event.url)) return Promise.resolve();
    return this.#serial(event.creatorId, async () => {
      const name = this.#o.nameOf(event.creatorId);
      if (name === undefined) return;
      const content = this.#fill(this.#o.templates.clip, { creator: name, title: event.title ?? '', url: event.url ?? '' });
      for (const channelId of this.#o.channels) {
        const message = (await this.#o.rest.post(Routes.channelMessages(channelId), { body: { content, allowed_mentions: { parse: [] } } })) as { id: string };
        this.#o.posted({ creatorId: event.creatorId, channelId, messageId: message.id, kind: 'clip', at: this.#o.now() });
      }
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

  #liveText(name: string, current: Announcement): string {
    const live = Object.keys(current.live);
    const titles = [...new Set(Object.values(current.live).filter((t) => t.length > 0))];
    return this.#fill(this.#o.templates.live, { creator: name, platforms: live.join(', '), title: titles.join(' · ') });
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
