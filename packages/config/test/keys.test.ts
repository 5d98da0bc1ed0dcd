import { describe, expect, it } from 'vitest';
import { ManifestBuilder } from '../src/builder.js';
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

describe('ManifestBuilder', () => {
  it('converts field names but keeps the keys of data-keyed objects (trigger filters, headers, templates)', () => {
    const builder = new ManifestBuilder(new Map(), () => undefined);
    const raw = { params: { event: 'twitch.raid', where: { user_name: 'ana', 'reward.title': 'Hydrate' } }, options: { headers: { x_api_key: '${env:KEY}' }, max_retries: 2 } };
    builder.merge(['t'], raw, { file: 'f.json', path: [] });
    expect(builder.value.t).toEqual({ params: { event: 'twitch.raid', where: { user_name: 'ana', 'reward.title': 'Hydrate' } }, options: { headers: { x_api_key: '${env:KEY}' }, maxRetries: 2 } });
  });

  it('reports a value two files set differently, not one file overriding its own default', () => {
    const conflicts: string[] = [];
    const builder = new ManifestBuilder(new Map(), (path, first, second) => void conflicts.push(`${path} ${first.file} ${second.file}`));
    builder.merge(['a'], { x_y: 1, z: [1] }, { file: 'one.json', path: [] });
    builder.merge(['a'], { x_y: 2 }, { file: 'one.json', path: [] });
    builder.merge(['a'], { x_y: 2, z: [1] }, { file: 'two.json', path: [] });
    builder.merge(['a'], { z: [2] }, { file: 'three.json', path: [] });
    expect(conflicts).toEqual(['/a/z two.json three.json']);
    expect(builder.value.a).toEqual({ xY: 2, z: [2] });
  });
});
