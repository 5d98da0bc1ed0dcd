import { createLogger, systemClock } from '@streamsuites/kernel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimitGovernor } from '@streamsuites/defaults';
import { ReplySender } from '../src/sender.js';

const logger = createLogger({ level: 'silent' });

function setup(limit = 100) {
  const governor = createRateLimitGovernor({ clock: systemClock });
  const sent: { at: number; channel: string; text: string }[] = [];
  const sender = new ReplySender({
    botLogin: 'bot',
    governor,
    limit,
    logger,
    send: (channel, text) => void sent.push({ at: Date.now(), channel, text }),
  });
  return { governor, sender, sent };
}

describe('ReplySender', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 27, 12) }));
  afterEach(() => vi.useRealTimers());

  it('25 replies in 1 s as a non-moderator: at most 20 in any 30 s window, the rest queued in order', async () => {
    const { sender, sent } = setup();
    const start = Date.now();
    const replies = Array.from({ length: 25 }, (_, i) => {
      vi.setSystemTime(start + i * 40);
      return sender.reply('alice', `reply ${i}`);
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(20);
    expect(sender.waiting).toBe(5);
    await vi.advanceTimersByTimeAsync(31_000);
    await Promise.all(replies);
    expect(sent.map((s) => s.text)).toEqual(Array.from({ length: 25 }, (_, i) => `reply ${i}`));
    for (const first of sent) {
      const inWindow = sent.filter((s) => s.at >= first.at && s.at < first.at + 30_000);
      expect(inWindow.length).toBeLessThanOrEqual(20);
    }
  });

  it('as a moderator in the channel: 100 per 30 s', async () => {
    const { sender, sent } = setup();
    sender.setModerator('alice', true);
    const replies = Array.from({ length: 100 }, (_, i) => sender.reply('alice', `r${i}`));
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toHaveLength(100);
    await Promise.all(replies);
  });

  it('replies queued before USERSTATE said moderator stop waiting behind the non-moderator limit', async () => {
    const { sender, sent } = setup();
    // A fresh join: the role is not known yet, so 25 replies meet the shared 20 per 30 s.
    const replies = Array.from({ length: 25 }, (_, i) => sender.reply('alice', `r${i}`));
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toHaveLength(20);
    expect(sender.waiting).toBe(5);
    // USERSTATE: moderator in alice's channel. The five waiting go out under its 100 per 30 s at once.
    sender.setModerator('alice', true);
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(replies);
    expect(sent.map((s) => s.text)).toEqual(Array.from({ length: 25 }, (_, i) => `r${i}`));
    expect(sent.at(-1)!.at - sent[0]!.at).toBeLessThan(1000);
  });

  it('a full queue drops the oldest waiting reply with a coded error', async () => {
    const { sender, sent } = setup(3);
    const results = Array.from({ length: 25 }, (_, i) => sender.reply('alice', `r${i}`).then(() => 'sent', (e: { code?: string }) => e.code));
    await vi.advanceTimersByTimeAsync(31_000);
    const outcome = await Promise.all(results);
    expect(outcome.filter((o) => o === 'sent')).toHaveLength(23);
    expect(outcome.filter((o) => o === 'SS_ERR_TWITCH_SEND_DROPPED')).toHaveLength(2);
    expect(sent.map((s) => s.text)).toEqual([...Array.from({ length: 20 }, (_, i) => `r${i}`), 'r22', 'r23', 'r24']);
  });

  it('msg_ratelimit: pauses, then sends the dropped reply again', async () => {
    const { sender, sent } = setup();
    await sender.reply('alice', 'hello');
    const retry = sender.notice('alice', 'msg_ratelimit');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    await retry;
    expect(sent.map((s) => s.text)).toEqual(['hello', 'hello']);
  });
});
