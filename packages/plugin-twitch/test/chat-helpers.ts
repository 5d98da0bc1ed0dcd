import { createLogger, type EventBus, systemClock } from '@streamsuites/kernel';
import { TwitchChat, type TwitchChatOptions } from '../src/chat.js';
import { createWebSocketTransport, MessageIdLru, normalizeLine } from '../src/index.js';
import type { FakeTwitchChat } from '../src/testing.js';

export const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123';

/** A creator's chat (`alice`, bot `ssbot`) on the fake server, with short backoffs; one connection unless `redundancy` says. */
export function twitchChat(fake: FakeTwitchChat, bus: EventBus, overrides: Partial<TwitchChatOptions> = {}): TwitchChat {
  return new TwitchChat({
    creatorId: 'alice',
    channel: 'alice',
    login: 'ssbot',
    token: TOKEN,
    url: fake.url,
    bus,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    normalize: normalizeLine,
    transport: createWebSocketTransport,
    seen: new MessageIdLru(10_000),
    backoff: { initialMs: 50, maxMs: 400, factor: 2, jitter: 0.2 },
    pingIntervalMs: 60_000,
    pingTimeoutMs: 10_000,
    ...overrides,
  });
}

/** Whether a logged-in client of the fake has joined `channel`. */
export const joined = (fake: FakeTwitchChat, channel = 'alice') => () => fake.clients().some((c) => c.registered && c.channels.includes(channel));
