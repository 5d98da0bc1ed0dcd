import type { ChatMessage, PlatformConnectionState } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { platformStatus, RuntimeObserver } from '../src/sections.js';

const message = (n: number, creatorId = 'alice'): ChatMessage =>
  chatMessage({
    id: `m${n}`,
    creatorId,
    receivedAt: Date.UTC(2026, 10, 27, 12, 0, n),
    sentAt: 0,
    author: { id: `u${n}`, login: `user${n}`, displayName: `User${n}`, roles: ['vip'] },
    text: `text ${n}`,
  });

describe('the chat signals window', () => {
  it('keeps the last N messages oldest first, across many wrap-arounds, and counts every message per creator and platform', () => {
    const observer = new RuntimeObserver(5);
    expect(observer.chatWindow()).toEqual([]);
    for (let n = 1; n <= 3; n++) observer.chat(message(n));
    expect(observer.chatWindow().map((row) => (row as { messageId: string }).messageId)).toEqual(['m1', 'm2', 'm3']);
    for (let n = 4; n <= 23; n++) observer.chat(message(n, n % 2 === 0 ? 'alice' : 'bob'));
    const rows = observer.chatWindow() as Record<string, unknown>[];
    expect(rows.map((row) => row.messageId)).toEqual(['m19', 'm20', 'm21', 'm22', 'm23']);
    expect(rows[0]).toEqual({ at: '2026-11-27T12:00:19.000Z', creator: 'bob', platform: 'twitch', messageId: 'm19', author: { displayName: 'User19', roles: ['vip'] }, text: 'text 19' });
    expect(observer.activity('alice').get('twitch')).toEqual({ messages: 13, lastMessageAt: Date.UTC(2026, 10, 27, 12, 0, 22) });
    expect(observer.activity('bob').get('twitch')!.messages).toBe(10);
    observer.chat(null as never); // not a message: ignored
    expect(observer.chatWindow()).toHaveLength(5);
  });
});

describe('platform connection states', () => {
  const T = Date.UTC(2026, 10, 27, 12, 0, 0);
  const event = (state: PlatformConnectionState, at: number, reason?: string) => ({
    creatorId: 'maya',
    platform: 'youtube',
    state,
    attempt: 1,
    at,
    ...(reason === undefined ? {} : { reason }),
  });

  it('a degraded period starts when the connection leaves connected and keeps its start and reason until it is connected again', () => {
    const observer = new RuntimeObserver(5);
    expect(observer.connectionOf('maya', 'youtube')).toBeUndefined();
    observer.connection(event('connecting', T));
    expect(platformStatus('running', observer.connectionOf('maya', 'youtube'))).toBe('connecting'); // the first connect is not degraded
    observer.connection(event('connected', T + 1000));
    expect(observer.connectionOf('maya', 'youtube')).toEqual({ state: 'connected', since: T + 1000, attempt: 1, everConnected: true });
    expect(platformStatus('running', observer.connectionOf('maya', 'youtube'))).toBe('running');
    observer.connection(event('reconnecting', T + 60_000, 'backendError'));
    observer.connection(event('connecting', T + 62_000));
    observer.connection(event('reconnecting', T + 64_000, 'quotaExceeded'));
    expect(observer.connectionOf('maya', 'youtube')).toEqual({ state: 'reconnecting', since: T + 60_000, reason: 'quotaExceeded', attempt: 1, everConnected: true });
    expect(platformStatus('running', observer.connectionOf('maya', 'youtube'))).toBe('degraded');
    observer.connection(event('connecting', T + 66_000));
    expect(platformStatus('running', observer.connectionOf('maya', 'youtube'))).toBe('degraded'); // connecting again after having been connected
    observer.connection(event('connected', T + 70_000));
    expect(observer.connectionOf('maya', 'youtube')).toEqual({ state: 'connected', since: T + 70_000, attempt: 1, everConnected: true });
    observer.connection(event('auth-failed', T + 80_000, 'invalid_grant'));
    expect(platformStatus('running', observer.connectionOf('maya', 'youtube'))).toBe('auth-failed');
    expect(observer.connectedPlatforms('maya')).toEqual(['youtube']);
  });

  it('offline (not live) is its own status, not degraded; a stream found again is running', () => {
    const observer = new RuntimeObserver(5);
    observer.connection(event('connected', T));
    observer.connection(event('offline', T + 60_000, 'the live chat ended'));
    expect(platformStatus('running', observer.connectionOf('maya', 'youtube'))).toBe('offline');
    expect(observer.connectionOf('maya', 'youtube')).toMatchObject({ state: 'offline', since: T + 60_000, reason: 'the live chat ended' });
    observer.connection(event('connected', T + 90_000));
    expect(platformStatus('running', observer.connectionOf('maya', 'youtube'))).toBe('running');
  });

  it('the plugin status wins when the plugin is not running; a long reason is cut', () => {
    const observer = new RuntimeObserver(5);
    observer.connection(event('reconnecting', T, 'x'.repeat(500)));
    expect(observer.connectionOf('maya', 'youtube')!.reason).toHaveLength(200);
    expect(platformStatus('failed', observer.connectionOf('maya', 'youtube'))).toBe('failed');
    expect(platformStatus('receiving', observer.connectionOf('maya', 'youtube'))).toBe('degraded');
    expect(platformStatus('running', undefined)).toBe('running');
    observer.connection(null as never); // not an event: ignored
  });
});
