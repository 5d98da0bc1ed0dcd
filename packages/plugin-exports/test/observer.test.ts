import type { ChatMessage } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { RuntimeObserver } from '../src/sections.js';

const message = (n: number, creatorId = 'alice'): ChatMessage => ({
  id: `m${n}`,
  platform: 'twitch',
  creatorId,
  channel: creatorId,
  receivedAt: Date.UTC(2026, 10, 27, 12, 0, n),
  sentAt: 0,
  author: { id: `u${n}`, login: `user${n}`, displayName: `User${n}`, roles: ['vip'] },
  text: `text ${n}`,
  isAction: false,
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
