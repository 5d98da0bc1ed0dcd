import { describe, expect, it } from 'vitest';
import { camelKey, snakeKey } from '../src/index.js';

describe('key conversion', () => {
  it('converts snake_case keys to camelCase and back', () => {
    const pairs: [string, string][] = [
      ['bot_login', 'botLogin'],
      ['logins_per_10s', 'loginsPer10s'],
      ['max_clip_sec', 'maxClipSec'],
      ['twitch_event_sub', 'twitchEventSub'],
      ['per_sec', 'perSec'],
    ];
    for (const [snake, camel] of pairs) {
      expect(camelKey(snake)).toBe(camel);
      expect(snakeKey(camel)).toBe(snake);
    }
  });

  it('keeps every key that is not snake_case as written', () => {
    for (const key of ['channel', 'botLogin', 'reward.title', 'stream.online', 'local-platforms', 'EUR', '$schema', '_private', 'a__b', 'trailing_', 'Upper_case']) {
      expect(camelKey(key), key).toBe(key);
    }
  });
});
