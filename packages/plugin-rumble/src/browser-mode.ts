import { join } from 'node:path';
import type { Clock, EventBus, Logger } from '@streamsuites/kernel';
import { RumbleBrowserChat } from './browser/browser-chat.js';
import { DEFAULT_SELECTORS, type RumbleConfig, type RumbleCreatorConfig, type RumbleSelectors } from './config.js';
import { entryHash } from './dedupe/ids.js';
import type { RumbleBrowserEvent } from './events.js';
import { toChatMessage } from './normalize.js';
import type { RumbleChatEntry } from './types.js';

export interface BrowserModeOptions {
  creatorId: string;
  config: RumbleConfig['browser'];
  creatorBrowser: NonNullable<RumbleCreatorConfig['browser']>;
  dataDir: string;
  /** The channel events carry (known from the API once it answered). */
  channel: () => string;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** False for an entry not to emit: the bot's own reply coming back, or (both sources on) one the API already delivered. */
  admit?: (entry: RumbleChatEntry) => boolean;
}

export interface BrowserMode {
  send(text: string): Promise<void>;
  stop(): Promise<void>;
  readonly stats: { messages: number; notAdmitted: number };
}

/** The configured selectors over the defaults. */
export function selectorsOf(config: RumbleConfig['browser']): RumbleSelectors {
  const out: RumbleSelectors = { ...DEFAULT_SELECTORS };
  for (const [name, value] of Object.entries(config.selectors)) if (value !== undefined) out[name as keyof RumbleSelectors] = value;
  return out;
}

/**
 * Browser mode for one creator: the live chat page read into chat.message
 * (ids: Rumble's own `data-message-id` when the page shows one, else a hash
 * of author and text with an occurrence count), replies typed into the
 * chat box. A failure (no Chromium, a page that changed shape) is reported
 * as `rumble.browser` `failed` with its coded error and logged; it never
 * stops API mode.
 */
export function startBrowserMode(o: BrowserModeOptions): BrowserMode {
  const stats = { messages: 0, notAdmitted: 0 };
  const occurrences = new Map<string, number>();
  const emitState = (state: RumbleBrowserEvent['state'], error?: unknown) => {
    const coded = error as { code?: string; message?: string } | undefined;
    o.bus.emit('rumble.browser', {
      creatorId: o.creatorId,
      state,
      ...(coded === undefined ? {} : { error: { code: coded.code ?? 'SS_ERR_RUMBLE_BROWSER', message: coded.message ?? String(error) } }),
      at: o.clock.now(),
    });
  };
  const chat = new RumbleBrowserChat({
    creatorId: o.creatorId,
    chatUrl: o.creatorBrowser.chatUrl,
    profileDir: o.creatorBrowser.profileDir ?? join(o.dataDir, 'rumble', 'profiles', o.creatorId),
    ...(o.config.chromiumPath === undefined ? {} : { chromiumPath: o.config.chromiumPath }),
    headless: o.config.headless,
    selectors: selectorsOf(o.config),
    pageTimeoutMs: o.config.pageTimeoutMs,
    logger: o.logger,
    onEntry(entry) {
      let id: string;
      if (entry.platformId !== undefined) id = `b.${entry.platformId}`;
      else {
        const hash = entryHash(['b', entry.username, entry.text]);
        const n = (occurrences.get(hash) ?? 0) + 1;
        occurrences.set(hash, n);
        // Bounded: counts only need to tell apart repeats close together.
        if (occurrences.size > 20_000) occurrences.delete(occurrences.keys().next().value!);
        id = `b.${hash}.${n}`;
      }
      if (o.admit !== undefined && !o.admit(entry)) {
        stats.notAdmitted += 1;
        return;
      }
      stats.messages += 1;
      o.bus.emit('chat.message', toChatMessage(entry, id, { creatorId: o.creatorId, channel: o.channel(), receivedAt: o.clock.now() }));
    },
    onError(error) {
      o.logger.error({ err: error }, `Rumble browser mode: ${(error as Error).message}`);
      emitState('failed', error);
    },
  });
  emitState('starting');
  const started = chat.start().then(
    () => emitState('running'),
    (error: unknown) => {
      o.logger.error({ err: error }, `Rumble browser mode did not start: ${(error as Error).message}`);
      emitState('failed', error);
    },
  );
  return {
    stats,
    async send(text) {
      await chat.send(text);
    },
    async stop() {
      await started;
      await chat.stop();
      emitState('stopped');
    },
  };
}
