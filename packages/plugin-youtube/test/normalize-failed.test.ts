/**
 * Normalizer failures are counted and reported, never silent (issue 14): a
 * ChatSession against the fake YouTube API counts an item the normalizer
 * throws on, emits a coded `platform.normalize-failed` with a redacted,
 * truncated sample, and keeps reading.
 */
import { SecretRegistry, type EventPayload } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { normalizeItem } from '../src/normalize/index.js';
import { NORMALIZE_SAMPLE_LENGTH } from '@streamsuites/kernel';
import type { LiveChatItem } from '../src/types.js';
import { CHANNEL, setup, texts, until } from './session-helpers.js';

const SECRET = 'yt-very-secret-value-123';

/** A copy of the item whose `snippet.publishedAt` throws when read (stands in for a normalizer bug; the real catch handles it). */
function hostile(item: LiveChatItem): LiveChatItem {
  const copy = structuredClone(item) as { snippet: object };
  Object.defineProperty(copy.snippet, 'publishedAt', { enumerable: true, get: () => { throw new Error(`exploded near ${SECRET}`); } });
  return copy as LiveChatItem;
}

describe('a ChatSession whose normalizer fails on an item', () => {
  it('counts it, emits platform.normalize-failed with a redacted, truncated sample, and the next items still arrive', async () => {
    const secrets = new SecretRegistry();
    secrets.add(SECRET);
    // The seam: ChatSession's `normalize` option (the plugin passes normalizeItem). Every item goes through the
    // real normalizer; the marked ones reach it as a hostile copy (its catch reports `failed`), or make the
    // normalize function itself throw (the session's own net, which used to fail the whole page).
    const { fake, t, session } = await setup({
      secrets,
      normalize: (item, ctx) => {
        const json = JSON.stringify(item);
        if (json.includes('KABOOM')) throw new Error(`normalize blew up on ${SECRET}`);
        if (json.includes('BOOM')) return normalizeItem(hostile(item), ctx);
        return normalizeItem(item, ctx);
      },
    });
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await t.events.waitFor('stream.online');
    await until('the backlog page', () => fake.calls()['liveChatMessages.list'] >= 1);
    fake.say({ author: 'anna', text: `BOOM ${SECRET} ${'x'.repeat(400)}` });
    fake.say({ author: 'carl', text: 'KABOOM' });
    fake.say({ author: 'ben', text: 'after' });
    await until('the message after the failures', () => texts(t).includes('after'));

    // Broke it once: #deliver emitted `failed` like `ignored` (no count, no event) → 0 and [] here.
    expect(session.stats.normalizeFailed).toBe(2);
    expect(texts(t)).toEqual(['after']);
    const failures = t.events.of('platform.normalize-failed') as EventPayload<'platform.normalize-failed'>[];
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({
      creatorId: 'daniel', platform: 'youtube', code: 'SS_ERR_YOUTUBE_NORMALIZE_FAILED',
      message: 'A YouTube chat item could not be normalized and was skipped: item could not be read: exploded near [redacted]',
    });
    expect(failures[1]).toMatchObject({ code: 'SS_ERR_YOUTUBE_NORMALIZE_FAILED', message: 'A YouTube chat item could not be normalized and was skipped: normalize blew up on [redacted]' });
    for (const f of failures) {
      expect(f.sample.length).toBeLessThanOrEqual(NORMALIZE_SAMPLE_LENGTH);
      expect(f.sample.startsWith('{')).toBe(true); // the item's JSON
      expect(f.at).toBeTypeOf('number');
    }
    expect(JSON.stringify(failures)).not.toContain(SECRET);
    expect(session.stats.items).toBeGreaterThanOrEqual(3);
  });
});
